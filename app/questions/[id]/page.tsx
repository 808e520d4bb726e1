import { reviewPage } from "@/app/_review/review-page";

const { generateMetadata, ReviewPage } = reviewPage("question");

export { generateMetadata };
export default ReviewPage;
