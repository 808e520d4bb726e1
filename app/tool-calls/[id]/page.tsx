import { reviewPage } from "@/app/_review/review-page";

const { generateMetadata, ReviewPage } = reviewPage("tool_call");

export { generateMetadata };
export default ReviewPage;
