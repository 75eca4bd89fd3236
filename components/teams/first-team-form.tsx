"use client";

import { useRouter } from "next/navigation";
import { CreateTeamForm } from "./create-team-form";

/** Onboarding's form: once the first team exists, the console opens on it. */
export function FirstTeamForm() {
  const router = useRouter();
  return (
    <CreateTeamForm
      onCreated={() => {
        router.push("/");
        router.refresh();
      }}
    />
  );
}
