// eddsa-rdfc-2022 in Node (the CLI's runtime); the same cases run in workerd (data-integrity.workers.test.ts).
import { it } from "vitest";
import { refusesTamperingAndUnknownContexts, reproducesTheW3cVector, signsAndVerifiesALaurelCredential } from "./data-integrity.cases.ts";

it("reproduces the W3C vc-di-eddsa eddsa-rdfc-2022 test vector byte for byte", reproducesTheW3cVector);
it("refuses tampered documents, other keys, malformed proofs and unknown contexts", refusesTamperingAndUnknownContexts);
it("signs and verifies a Laurel OpenBadgeCredential with the bundled contexts", signsAndVerifiesALaurelCredential);
