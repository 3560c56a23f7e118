/** A payload no retry can fix (a date that is not one): the consumers do not retry it. */
export class BadNotifyPayload extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadNotifyPayload';
  }
}
