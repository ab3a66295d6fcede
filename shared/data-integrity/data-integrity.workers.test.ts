// eddsa-rdfc-2022 inside workerd (the edge and origin Workers); the same cases run in Node (data-integrity.test.ts).
import { it } from "vitest";
import { refusesTamperingAndUnknownContexts, reproducesTheW3cVector, signsAndVerifiesALaurelCredential } from "./data-integrity.cases.ts";

it("reproduces the W3C vc-di-eddsa eddsa-rdfc-2022 test vector byte for byte", reproducesTheW3cVector);
it("refuses tampered documents, other keys, malformed proofs and unknown contexts", refusesTamperingAndUnknownContexts);
it("signs and verifies a Laurel OpenBadgeCredential with the bundled contexts", signsAndVerifiesALaurelCredential);
