import { reviewPage } from "@/app/_review/review-page";

const { generateMetadata, ReviewPage } = reviewPage("approval");

export { generateMetadata };
export default ReviewPage;
