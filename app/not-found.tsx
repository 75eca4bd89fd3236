import Link from "next/link";
import { CenteredFrame } from "@/components/shell/centered-frame";

export default function NotFound() {
  return (
    <CenteredFrame>
      <h1 className="panel-title">Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
      <p className="panel-footer">
        <Link href="/">Go to the console</Link>
      </p>
    </CenteredFrame>
  );
}
