// The origin database schema, one file per entity.
export {};
