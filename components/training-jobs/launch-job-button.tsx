"use client";

import Link from "next/link";
import { useActiveTeam } from "@/lib/client/hooks/use-me";

/** "Launch job" for roles that may launch (engineers and above). */
export function LaunchJobButton() {
  const active = useActiveTeam();
  if (!active?.can("resource.write")) return null;
  return (
    <Link href="/training-jobs/new" className="btn btn-primary">
      Launch job
    </Link>
  );
}
