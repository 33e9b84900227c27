import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "@/components/auth/SignInForm";

export const metadata: Metadata = { title: "Sign in" };

// useSearchParams (for ?next=) needs a Suspense boundary in a static export.
export default function SignInPage() {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <Suspense fallback={null}>
        <SignInForm />
      </Suspense>
    </div>
  );
}
