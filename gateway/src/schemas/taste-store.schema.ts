import { Type } from '@sinclair/typebox';

/** The taste store's admin answers (gateway/src/taste). */
export const TasteStoreWipedSchema = Type.Object(
  {
    wiped: Type.Object(
      {
        films: Type.Integer({ minimum: 0, description: 'Films whose counts were forgotten' }),
        pairs: Type.Integer({ minimum: 0, description: 'Pairs of films liked together that were forgotten' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: 'What the wipe removed; the store is empty after it' },
);
