import { RequestNotFound } from "@/app/_review/review-page";

export default function NotFound() {
  return <RequestNotFound kind="tool_call" />;
}
