// The contract in code: wire schemas, stateless and stateful rules, error codes, CIDR helpers and request
// signing, shared by the provider and the emulator and depending on neither.
export * from "./errors";
export * from "./issues";
export * from "./net";
export * from "./schemas";
export * from "./rules";
export * from "./signing";
export * from "./stateful";
