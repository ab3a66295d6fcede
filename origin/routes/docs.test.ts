import { describe, expect, it } from "vitest";
import { PROBLEMS, problemCodesOf } from "../../shared/http/problem-codes.ts";
import { call } from "../test/api.ts";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any>; securitySchemes: Record<string, any> };
};

describe("API description", () => {
  it("GET /openapi.json is OpenAPI 3.1 covering every issuer route with bodies, responses, problems and bearer security", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe("3.1.0");
    const expected: [string, string][] = [
      ["post", "/v1/orgs"],
      ["post", "/v1/achievements"],
      ["get", "/v1/achievements"],
      ["get", "/v1/achievements/{id}"],
      ["post", "/v1/credentials"],
      ["get", "/v1/credentials"],
      ["get", "/v1/credentials/{id}"],
      ["post", "/v1/credentials/{id}/revoke"],
      ["get", "/v1/keys"],
      ["post", "/v1/keys/rotate"],
      ["post", "/v1/keys/{keyId}/revoke"],
      ["post", "/v1/api-keys"],
      ["get", "/v1/api-keys"],
      ["delete", "/v1/api-keys/{id}"],
    ];
    for (const [method, path] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.security?.length, `${method} ${path} security`).toBeGreaterThan(0);
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => s.startsWith("2"))).toBe(true);
      const problem = Object.entries(op.responses).find(([s]) => s.startsWith("4"))?.[1] as any;
      expect(problem?.content?.["application/problem+json"]?.schema?.$ref).toBe("#/components/schemas/Problem");
    }
    const issue = doc.paths["/v1/credentials"]!.post;
    expect(issue.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/CreateCredentialRequest");
    expect(issue.parameters.some((p: any) => p.in === "header" && p.name.toLowerCase() === "idempotency-key" && p.required)).toBe(true);
    expect(doc.components.schemas.CreateCredentialRequest.required).toEqual(expect.arrayContaining(["achievementId", "recipient"]));
    expect(doc.components.schemas.Problem.required).toEqual(expect.arrayContaining(["type", "title", "status", "detail", "code", "requestId"]));
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/v1/orgs"]!.post.security).toEqual([{ adminToken: [] }]);
  });

  it("lists the issuer API's problem codes from the registry, and each route's problem responses name their codes", async () => {
    const doc = (await (await call("/openapi.json")).json()) as Doc;
    const codes: string[] = doc.components.schemas.Problem.properties.code.enum;
    expect(codes).toEqual(problemCodesOf("origin"));
    expect(codes).toEqual(expect.arrayContaining(["VALIDATION_FAILED", "PAYLOAD_TOO_LARGE", "DATABASE_UNAVAILABLE"]));
    expect(codes).not.toContain("CREDENTIAL_NOT_FOUND");
    const issue = doc.paths["/v1/credentials"]!.post.responses;
    expect(issue["413"].description).toContain("PAYLOAD_TOO_LARGE");
    expect(issue["422"].description).toContain(`${PROBLEMS.IDEMPOTENCY_KEY_REUSED.title} (IDEMPOTENCY_KEY_REUSED)`);
  });

  it("GET /docs renders the document as HTML with no scripts and no third-party requests", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|@import|src=/i);
    expect(html).not.toMatch(/https?:\/\/(?!laurel\.dev)[^"'\s<]*\.(js|css)/i);
    for (const text of ["/v1/credentials/{id}/revoke", "idempotency-key", "CreateCredentialRequest", "Problem", "recipient"]) {
      expect(html).toContain(text);
    }
  });
});
