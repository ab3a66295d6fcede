// The body of every webhook request (docs/webhooks.md): {id, type, timestamp, requestId, data}.
// `data` is stored as the JSON text it is sent as, so a retry sends the same bytes.

export interface StoredEvent {
  id: string;
  type: string;
  createdAt: number;
  /** The `data` object as JSON text. */
  data: string;
  requestId: string | null;
}

/** The JSON body of the event's deliveries (the same on every attempt). */
export function webhookPayload(event: StoredEvent): string {
  const head = JSON.stringify({ id: event.id, type: event.type, timestamp: new Date(event.createdAt).toISOString(), requestId: event.requestId });
  return `${head.slice(0, -1)},"data":${event.data}}`;
}
