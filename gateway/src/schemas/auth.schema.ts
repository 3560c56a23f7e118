import { type Static, Type } from '@sinclair/typebox';
import { NO_NUL } from './api.schema';

/** The owner's session: login, logout, who is logged in. */

const strict = { additionalProperties: false } as const;

export const LoginBodySchema = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, ...NO_NUL }),
    // Long enough for any passphrase, short enough that scrypt never reads a megabyte.
    password: Type.String({ minLength: 1, maxLength: 1024, ...NO_NUL }),
  },
  strict,
);

export const OwnerSessionSchema = Type.Object(
  {
    email: Type.String(),
    csrfToken: Type.String({ description: 'Send it back as the X-CSRF-Token header on every admin request that is not a GET' }),
  },
  strict,
);

export const LogoutSchema = Type.Object({ loggedOut: Type.Boolean() }, strict);

export type LoginBody = Static<typeof LoginBodySchema>;
export type OwnerSessionAnswer = Static<typeof OwnerSessionSchema>;
