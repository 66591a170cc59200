// The one seeded random source: the emulator's (its fault draws use it), shared by the tests.
export { mulberry32 } from "../../emulator/faults";
