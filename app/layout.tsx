import type { Metadata } from "next";
import type { ReactNode } from "react";
import { QueryProvider } from "@/components/ui/query-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "retune", template: "%s · retune" },
  description: "The system of record and control loop for the fine-tuned parts of AI agents.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  );
}
