import { z } from "zod";
import { API_KEY_SCOPES, ROLES } from "@/lib/domain/permissions";

export const roleSchema = z.enum(ROLES);
export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);
