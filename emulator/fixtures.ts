/**
 * Default fixtures: the projects, credentials, hosted connections and virtual gateways that the
 * demo, the docs and the tests rely on. The values are part of the emulator's public surface.
 */
import { z } from "zod";
import type { Profile } from "../api/profile";
import { CLOUD_BGP_ASN, PROJECT_ID_RE, UUID_RE } from "../api/schemas";

/** The default fixture values (project A at the top level, project B under `otherProject`). */
export const FIXTURES = {
  projectId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  region: "cn-north-4",
  domainName: "dcaas-demo",
  username: "netops",
  password: "emulator-password-a",
  token: "emulator-token-project-a",
  accessKey: "EMUAKPROJECTA0000001",
  secretKey: "emulator-sk-project-a-0000000000000001",
  hostedConnections: {
    active1: "6f1c2d3e-0001-4a5b-8c9d-000000000001",
    active2: "6f1c2d3e-0001-4a5b-8c9d-000000000002",
    down: "6f1c2d3e-0001-4a5b-8c9d-000000000003",
  },
  gatewayId: "7a2b3c4d-0001-4b5c-9d0e-000000000001",
  vpcId: "8b3c4d5e-0001-4c5d-a0e1-000000000001",
  vpcCidrs: ["172.16.0.0/16"],
  /** Under the `huawei` profile each hosted connection has its own VLAN (the interface's must equal it). */
  huaweiVlans: {
    active1: 301,
    active2: 302,
    down: 303,
  },
  otherProject: {
    projectId: "1b2c3d4e5f60718293a4b5c6d7e8f90a",
    domainName: "dcaas-other",
    username: "netops-b",
    password: "emulator-password-b",
    token: "emulator-token-project-b",
    accessKey: "EMUAKPROJECTB0000001",
    secretKey: "emulator-sk-project-b-0000000000000001",
    hostedConnections: {
      active1: "6f1c2d3e-0002-4a5b-8c9d-000000000001",
    },
    gatewayId: "7a2b3c4d-0002-4b5c-9d0e-000000000001",
    vpcCidrs: ["172.16.0.0/16"],
  },
} as const;

/** One project with its credentials, as loaded into the store. */
export interface ProjectFixture {
  projectId: string;
  projectName?: string;
  domainName: string;
  username: string;
  password: string;
  /** A pre-issued token, valid without calling /v3/auth/tokens. */
  token?: string;
  accessKey?: string;
  secretKey?: string;
  connections: ConnectionFixture[];
  gateways: GatewayFixture[];
}

/** A connection (here always a hosted connection) owned by a project. */
export interface ConnectionFixture {
  id: string;
  name: string;
  description?: string;
  type?: string;
  bandwidth: number;
  port_type?: string;
  location?: string;
  provider?: string;
  status: string;
  vlan?: number | null;
}

/** A virtual gateway and the VPC blocks it serves. */
export interface GatewayFixture {
  id: string;
  name: string;
  description?: string;
  vpc_id: string;
  local_ep_group: string[];
  bgp_asn?: number;
  status?: string;
}

/** A fixture set: the projects to load. */
export interface FixtureSet {
  projects: ProjectFixture[];
}

/** The cloud side's BGP ASN on every virtual gateway (the seed's 64512). */
export { CLOUD_BGP_ASN };

/** The default fixture set built from FIXTURES; under `huawei` the hosted connections carry a VLAN. */
export function defaultFixtureSet(profile: Profile = "jd-hosted"): FixtureSet {
  const vlan = (n: number) => (profile === "huawei" ? { vlan: n } : {});
  const a = FIXTURES;
  const b = FIXTURES.otherProject;
  return {
    projects: [
      {
        projectId: a.projectId,
        projectName: a.region,
        domainName: a.domainName,
        username: a.username,
        password: a.password,
        token: a.token,
        accessKey: a.accessKey,
        secretKey: a.secretKey,
        connections: [
          {
            ...hosted(a.hostedConnections.active1, "hosted-active-1", "ACTIVE"),
            ...vlan(a.huaweiVlans.active1),
          },
          {
            ...hosted(a.hostedConnections.active2, "hosted-active-2", "ACTIVE"),
            ...vlan(a.huaweiVlans.active2),
          },
          { ...hosted(a.hostedConnections.down, "hosted-down", "DOWN"), ...vlan(a.huaweiVlans.down) },
        ],
        gateways: [
          {
            id: a.gatewayId,
            name: "vgw-demo",
            vpc_id: a.vpcId,
            local_ep_group: [...a.vpcCidrs],
            bgp_asn: CLOUD_BGP_ASN,
            status: "ACTIVE",
          },
        ],
      },
      {
        projectId: b.projectId,
        projectName: a.region,
        domainName: b.domainName,
        username: b.username,
        password: b.password,
        token: b.token,
        accessKey: b.accessKey,
        secretKey: b.secretKey,
        connections: [
          {
            ...hosted(b.hostedConnections.active1, "hosted-other-1", "ACTIVE"),
            ...vlan(a.huaweiVlans.active1),
          },
        ],
        gateways: [
          {
            id: b.gatewayId,
            name: "vgw-other",
            vpc_id: "8b3c4d5e-0002-4c5d-a0e1-000000000001",
            local_ep_group: [...b.vpcCidrs],
            bgp_asn: CLOUD_BGP_ASN,
            status: "ACTIVE",
          },
        ],
      },
    ],
  };
}

function hosted(id: string, name: string, status: string): ConnectionFixture {
  return {
    id,
    name,
    description: "hosted connection (emulator fixture)",
    type: "hosted",
    bandwidth: 1000,
    port_type: "10G",
    location: "emulator-dc-1",
    provider: "emulator-partner",
    status,
  };
}

const ConnectionFixtureSchema = z.strictObject({
  id: z.string().regex(UUID_RE),
  name: z.string().min(1).max(64),
  description: z.string().max(128).optional(),
  type: z.enum(["standard", "hosting", "hosted", "onestop_standard", "onestop_hosted"]).optional(),
  bandwidth: z.int().min(2),
  port_type: z.string().optional(),
  location: z.string().optional(),
  provider: z.string().optional(),
  status: z.enum(["ACTIVE", "DOWN", "BUILD", "ERROR", "PENDING_DELETE", "DELETED", "APPLY"]),
  vlan: z.int().min(0).max(3999).nullable().optional(),
});

const GatewayFixtureSchema = z.strictObject({
  id: z.string().regex(UUID_RE),
  name: z.string().min(1).max(64),
  description: z.string().max(128).optional(),
  vpc_id: z.string().min(1),
  local_ep_group: z.array(z.string()).min(1),
  bgp_asn: z.int().min(1).max(4294967295).optional(),
  status: z.string().optional(),
});

const ProjectFixtureSchema = z.strictObject({
  projectId: z.string().regex(PROJECT_ID_RE),
  projectName: z.string().optional(),
  domainName: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
  token: z.string().min(8).optional(),
  accessKey: z.string().min(8).optional(),
  secretKey: z.string().min(8).optional(),
  connections: z.array(ConnectionFixtureSchema).default([]),
  gateways: z.array(GatewayFixtureSchema).default([]),
});

/** The schema of a fixture file (`--fixtures file.json`, `POST /_emulator/fixtures`). */
export const FixtureSetSchema = z.strictObject({ projects: z.array(ProjectFixtureSchema).min(1) });

/** Parses and checks a fixture set; throws an Error naming the first problem. */
export function parseFixtureSet(value: unknown): FixtureSet {
  const r = FixtureSetSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`${i.path.join(".") || "(root)"}: ${i.message}`);
  }
  return r.data;
}
