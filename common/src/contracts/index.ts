/** The HTTP contracts only, types and no runtime code: what the customer page (gateway/web) imports. */
export type * from './api.contract';
export type * from './recommender.contract';
export type * from './programme.contract';
export type * from './film-index.contract';
export type * from './notifications.contract';
