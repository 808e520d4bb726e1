import { MessagePage } from "@/components/message-page";

export default function NotFound() {
  return (
    <MessagePage title="Not found">
      There is nothing here: the link may be wrong, or the request never existed.
    </MessagePage>
  );
}
