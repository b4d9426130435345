/** Hands work to another function without waiting for it (Lambda `InvocationType: 'Event'`). */
export interface InvokerPort {
  invokeAsync(functionName: string, payload: unknown): Promise<void>;
}
