import * as z from "zod";

/** Only the caller's endpoint is read here; the rest of the event is the Connect mapping's. */
const endpointSchema = z.object({
  Details: z.object({
    ContactData: z.object({
      CustomerEndpoint: z.object({ Address: z.unknown(), Type: z.unknown() }).nullish(),
    }),
  }),
});

/**
 * The caller's phone number as Connect gives it (`Details.ContactData.CustomerEndpoint.Address` with `Type`
 * `TELEPHONE_NUMBER`), or undefined when the event carries none (a chat, a missing or null endpoint). Whether
 * a text can reach it (E.164, not withheld) is `RecordTextConsent`'s to decide. Never throws, and never puts
 * the address in an error.
 */
export function callerAddress(event: unknown): string | undefined {
  const parsed = endpointSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const endpoint = parsed.data.Details.ContactData.CustomerEndpoint;
  if (endpoint?.Type !== "TELEPHONE_NUMBER" || typeof endpoint.Address !== "string") return undefined;
  return endpoint.Address.trim();
}
