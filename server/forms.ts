import "server-only";
import { redirect } from "next/navigation";
import type { z } from "zod";
import type { Action, Principal } from "@/lib/auth/principal";
import type { FormState } from "@/lib/forms";
import { ApiError, detailsFrom, invalid, type ErrorDetail } from "@/server/api/errors";
import { requireActionPrincipal } from "@/server/auth/session";

/*
 * The one wrapper of the dashboard's server actions: who (session + role), what (zod,
 * the same schemas as the API where the API has one) and the one error shape
 * (FormState: field errors + a form message). Handlers throw ApiError like the API's
 * handlers do, or return a state, or `{ redirect }`.
 */

/** The fields of a form, as strings (a file or a missing field: ""). */
export function formFields<N extends string>(
  form: FormData,
  names: readonly N[],
): Record<N, string> {
  return Object.fromEntries(
    names.map((name) => {
      const v = form.get(name);
      return [name, typeof v === "string" ? v : ""];
    }),
  ) as Record<N, string>;
}

/**
 * Error details → field errors (the first message per field the form shows) and a
 * form message for the rest (`fields`: the names the form has inputs for).
 */
export function formStateOf(
  details: ErrorDetail[],
  message: string,
  fields?: readonly string[],
): FormState {
  const errors: Record<string, string> = {};
  let formMessage: string | undefined;
  for (const d of details) {
    const field = d.path.split(".")[0] ?? "";
    if (!fields || fields.includes(field)) errors[field] ??= d.message;
    else formMessage ??= d.message;
  }
  return Object.keys(errors).length
    ? { errors, message: formMessage }
    : { message: formMessage ?? message };
}

/** zod's issues as the form's field errors (the first per field). */
export const zodFormState = (error: z.ZodError, fields?: readonly string[]) =>
  formStateOf(detailsFrom(error), "The form is invalid.", fields);

/** Parse with `schema` or throw the same ApiError the API would (shown at the fields). */
export function parseForm<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error, "The form is invalid.");
  return result.data;
}

/** An ApiError as form state; anything else is not the form's to show. */
export function formStateOfError(err: unknown, fields?: readonly string[]): FormState {
  if (!(err instanceof ApiError)) throw err;
  return formStateOf(err.details ?? [], err.message, fields);
}

type Outcome<S> = S | { redirect: string };

type Options = { fields?: readonly string[]; echo?: readonly string[] };
type Handler<S, P> = (form: FormData, principal: P) => Promise<Outcome<S>>;
type FormActionFn<S> = (previous: S, form: FormData) => Promise<S>;

/**
 * A server action: `action` is the role needed (null: anyone, e.g. first-run setup);
 * `fields` are the form's inputs (other error paths become the form's message), `echo`
 * the ones put back after a failure (never a secret).
 */
export function formAction<S extends FormState>(
  action: Action,
  handler: Handler<S, Principal>,
  options?: Options,
): FormActionFn<S>;
export function formAction<S extends FormState>(
  action: null,
  handler: Handler<S, null>,
  options?: Options,
): FormActionFn<S>;
export function formAction<S extends FormState>(
  action: Action | null,
  handler: Handler<S, Principal> | Handler<S, null>,
  { fields, echo = [] }: Options = {},
): FormActionFn<S> {
  return async (_previous, form) => {
    let principal: Principal | null = null;
    if (action) {
      const auth = await requireActionPrincipal(action);
      if (!auth.ok) return { message: auth.message } as S;
      principal = auth.principal;
    }
    let outcome: Outcome<S>;
    try {
      // the overloads pair a role with a principal, and no role with none
      outcome = await (handler as Handler<S, Principal | null>)(form, principal);
    } catch (err) {
      const state = formStateOfError(err, fields);
      const values = Object.fromEntries(echo.map((n) => [n, String(form.get(n) ?? "")]));
      return { ...state, ...(echo.length ? { values } : {}) } as S;
    }
    if ("redirect" in outcome) redirect(outcome.redirect); // outside the try: it throws
    return outcome;
  };
}
