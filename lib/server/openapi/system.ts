import { z } from "zod";
import { healthSchema, publicHealthSchema } from "@/lib/schemas/health";
import { homeSchema } from "@/lib/schemas/home";
import { openApiDocumentSchema } from "@/lib/schemas/openapi";
import type { Operation } from "./spec";

/** Signed in (or with an API key): everything; anonymous: the status and whether stores answer. */
const health = z.union([healthSchema, publicHealthSchema]);

/** Health, the home page's digest and this document. */
export const systemOperations: Operation[] = [
  {
    id: "getHealth",
    method: "get",
    path: "/api/v1/health",
    tag: "System",
    summary: "Whether PostgreSQL and Redis answer (load balancers read the status)",
    description:
      "Anyone gets the status and whether each store answers; a team member or API key also gets latencies, queues and workers.",
    auth: "public",
    responses: {
      200: { description: "Everything answers.", content: { "application/json": health } },
      503: {
        description: "Degraded: a store does not answer.",
        content: { "application/json": health },
      },
    },
  },
  {
    id: "getHome",
    method: "get",
    path: "/api/v1/home",
    tag: "System",
    summary: "What needs attention in the team (the console's home page)",
    description:
      "Versions awaiting approval, monitors in breach, running and recently failed jobs, recent re-tunes.",
    auth: { action: "team.read" },
    responses: { 200: homeSchema },
  },
  {
    id: "getOpenApiDocument",
    method: "get",
    path: "/api/v1/openapi.json",
    tag: "System",
    summary: "This document: the OpenAPI 3.1 description of /api/v1",
    auth: "public",
    responses: {
      200: {
        description: "The document (cacheable; it changes only with a deployment).",
        content: { "application/json": openApiDocumentSchema },
      },
    },
  },
];
