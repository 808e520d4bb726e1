import { MessagePage } from "@/components/message-page";

export default function Forbidden() {
  return (
    <MessagePage title="Not allowed">
      Your role does not allow this page. Ask an admin if you need access.
    </MessagePage>
  );
}
