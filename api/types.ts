// The contract's types, as the widget, the extension and the typed client use them. The objects and
// request bodies are derived from their schemas in api/schemas.ts (type-only imports: nothing of zod
// enters a bundle); the limits and names are plain constants in api/limits.ts, re-exported here.
import type { z } from 'zod';
import type * as S from './schemas.ts';

export * from './limits.ts';

import type { ProjectRole } from './limits.ts';

export type { AnyProjectRole } from './schemas.ts';

/** ISO-8601 with offset, e.g. `2026-11-27T10:50:00+0000`. */
export type Timestamp = string;

export type UserRef = z.output<typeof S.UserRef>;
export type IdName = z.output<typeof S.IdName>;
export type User = z.output<typeof S.User>;
export type TokenVerification = z.output<typeof S.TokenVerification>;
export type Organization = z.output<typeof S.Organization>;
export type Project = z.output<typeof S.Project>;
export type ProjectUser = z.output<typeof S.ProjectUser>;
/** A join request as the project's users see it. */
export type ProjectJoinRequest = z.output<typeof S.ProjectJoinRequest>;
/** A join request as its requester sees it. */
export type MyJoinRequest = z.output<typeof S.MyJoinRequest>;
export type ProjectInvitation = z.output<typeof S.ProjectInvitation>;
export type MyProjectInvitation = z.output<typeof S.MyProjectInvitation>;
export type OrganizationUser = z.output<typeof S.OrganizationUser>;
export type OrganizationInvitation = z.output<typeof S.OrganizationInvitation>;
export type MyOrganizationInvitation = z.output<typeof S.MyOrganizationInvitation>;
export type StorageToken = z.output<typeof S.StorageToken>;
/** A live Storage token made by a support or maintainer member, as the project's deciders list it. */
export type OutsiderStorageToken = z.output<typeof S.OutsiderStorageToken>;
/** What a Storage token's verification answers (Keboola's Storage API, the fields we keep). */
export type StorageTokenVerification = z.output<typeof S.StorageTokenVerification>;
export type Ticket = z.output<typeof S.Ticket>;
/** Captured automatically by the widget and shown to the user before sending. */
export type TicketContext = Ticket['context'];
/** The server error a ticket was filed about, as the host app saw it. */
export type ErrorContext = NonNullable<TicketContext['error']>;
export type TicketAttachment = Ticket['attachments'][number];
export type AccessLogEntry = z.output<typeof S.AccessLogEntry>;

// ---- Request bodies, as a client sends them (z.input) ------------------------------------------------

/** Booleans in request bodies accept true/false and 0/1. */
export type BoolInput = boolean | 0 | 1;

export type JoinProjectBody = z.input<typeof S.EntryBody>;
export type RequestAccessBody = z.input<typeof S.RequestAccessBody>;
export type AddProjectUserBody = z.input<typeof S.NewMemberBody>;
export type CreateProjectInvitationBody = AddProjectUserBody;
export type UpdateProjectUserBody = z.input<typeof S.RoleBody>;
export type UpdateOrganizationBody = z.input<typeof S.UpdateOrganizationBody>;
export type EmailBody = z.input<typeof S.EmailBody>;
export type CreateProjectBody = z.input<typeof S.NameBody>;
export type CreateStorageTokenBody = z.input<typeof S.CreateStorageTokenBody>;
export type CreateTicketBody = z.input<typeof S.CreateTicketBody>;
export type TicketAttachmentInput = NonNullable<CreateTicketBody['attachments']>[number];

export type PageQuery = z.output<typeof S.PageQuery>;
/** The access history's page, optionally only the entries of one action. */
export type AccessLogQuery = z.output<typeof S.AccessLogQuery>;

// ---- Our extensions: live events (Server-Sent Events) ---------------------------------------------

export type JoinRequestOutcome = z.output<typeof S.JoinRequestOutcome>;
export type SupportEvent = z.output<typeof S.SupportEvent>;
/** One event as delivered: `id` is what a reconnecting client sends back as `Last-Event-ID`. */
export type SupportEventEnvelope = z.output<typeof S.SupportEventEnvelope>;

// ---- Test mode -------------------------------------------------------------------------------------

export type OutboxMessage = z.output<typeof S.OutboxMessage>;

export interface Fixture {
  maintainers?: { id: number; name: string; supportEmail?: string | null }[];
  organizations?: {
    id: number;
    name: string;
    maintainerId: number;
    allowAutoJoin?: boolean;
    mfaRequired?: boolean;
  }[];
  projects?: { id: number; name: string; organizationId: number; limits?: { users: number | null } }[];
  users?: {
    id: number;
    email: string;
    name: string;
    mfaEnabled?: boolean;
    isSuperAdmin?: boolean;
    token?: string;
  }[];
  maintainerMembers?: { maintainerId: number; userId: number }[];
  organizationMembers?: { organizationId: number; userId: number }[];
  projectMembers?: {
    projectId: number;
    userId: number;
    role?: ProjectRole;
    reason?: string | null;
    expires?: Timestamp | null;
  }[];
}

// ---- Conversations, grants, webhooks (issues 20 and 23) -------------------------------------------

export type TicketRef = z.output<typeof S.TicketRef>;
/** A thread entry: a message, or what happened to the ticket. */
export type TicketMessage = z.output<typeof S.TicketMessage>;
export type ThreadRequest = z.output<typeof S.ThreadRequest>;
export type AccessGrant = z.output<typeof S.AccessGrant>;
export type SupportBadge = z.output<typeof S.SupportBadge>;
export type WebhookEndpoint = z.output<typeof S.WebhookEndpoint>;
export type NewWebhookEndpoint = z.output<typeof S.NewWebhookEndpoint>;
export type WebhookDelivery = z.output<typeof S.WebhookDelivery>;
export type PostMessageBody = z.input<typeof S.PostMessageBody>;
export type UpdateTicketBody = z.input<typeof S.UpdateTicketBody>;
export type CreateGrantBody = z.input<typeof S.CreateGrantBody>;
export type CreateWebhookBody = z.input<typeof S.CreateWebhookBody>;
export type UpdateWebhookBody = z.input<typeof S.UpdateWebhookBody>;
/** The ticket list's page and view, newest activity first. */
export type TicketListQuery = z.output<typeof S.TicketListQuery>;
/** A thread's page, oldest first, optionally only after an entry. */
export type ThreadQuery = z.output<typeof S.ThreadQuery>;
