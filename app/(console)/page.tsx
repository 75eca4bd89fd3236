import type { Metadata } from "next";
import { HomeView } from "@/components/home/home-view";

export const metadata: Metadata = { title: "Home" };

/** `/`: what needs attention in the active team; sign-in and onboarding land here. */
export default function HomePage() {
  return <HomeView />;
}
