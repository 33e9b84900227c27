"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useEffect, useId, useState } from "react";
import { sessionStore, useSession } from "@/lib/auth/state";

/** A `next` safe to go to: a path on this site (not `//other.host`), never the sign-in page itself. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next.startsWith("/signin") ? "/" : next;
}

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100";

function Field(props: { label: string; name: string; type: string; autoComplete: string }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium">
        {props.label}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type}
        autoComplete={props.autoComplete}
        required
        className={inputClass}
      />
    </div>
  );
}

/** E-mail and password; then, for a user an admin created, a new password. */
export function SignInForm() {
  const state = useSession();
  const router = useRouter();
  const next = safeNext(useSearchParams().get("next"));
  const [step, setStep] = useState<"password" | "new-password">("password");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const done = state.status === "signed-in" || state.status === "disabled";

  useEffect(() => {
    if (done) router.replace(next);
  }, [done, next, router]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "");
    setError(null);
    if (step === "new-password" && value("newPassword") !== value("confirmPassword")) {
      setError("The two new passwords differ.");
      return;
    }
    setBusy(true);
    try {
      const store = await sessionStore();
      if (!store) throw new Error("This app has no sign-in.");
      const { newPasswordRequired } =
        step === "password"
          ? await store.signIn(value("email"), value("password"))
          : await store.completeNewPassword(value("newPassword"));
      if (newPasswordRequired) setStep("new-password");
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "Sign-in failed.");
    } finally {
      setBusy(false);
    }
  };

  const reason = state.status === "signed-out" ? state.reason : undefined;
  const message = error ?? reason ?? "";
  return (
    <form onSubmit={onSubmit} className="flex max-w-sm flex-col gap-4" data-testid="signin-form">
      {step === "password" ? (
        <>
          <Field label="E-mail" name="email" type="email" autoComplete="username" />
          <Field label="Password" name="password" type="password" autoComplete="current-password" />
        </>
      ) : (
        <>
          <p className="text-sm">This is your first sign-in: choose a new password.</p>
          <Field key="new" label="New password" name="newPassword" type="password" autoComplete="new-password" />
          <Field key="confirm" label="New password, again" name="confirmPassword" type="password" autoComplete="new-password" />
        </>
      )}
      <p role="alert" data-testid="signin-error" className="text-sm text-red-700 empty:hidden dark:text-red-400">
        {message}
      </p>
      <button
        type="submit"
        disabled={busy || state.status === "loading"}
        className="self-start rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300"
      >
        {busy ? "Signing in…" : step === "password" ? "Sign in" : "Set password and sign in"}
      </button>
    </form>
  );
}
