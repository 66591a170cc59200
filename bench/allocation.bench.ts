// The allocator alone (api/allocation.ts), as the provider uses it: N new links and N IPv6 peers,
// the occupancy rebuilt for each from the claims before it. Prints the time; asserts nothing.
//
//   node -r ts-node/register/transpile-only bench/allocation.bench.ts [N]   (default 100)
import {
  allocateInterface,
  allocatePeer,
  emptyOccupancy,
  occupyNetwork,
  occupyVlan,
  parsePool,
} from "../api/allocation";
const N = Number(process.argv[2] ?? 100);
const pool = parsePool(
  {
    name: "b",
    hostedConnectionIds: ["a", "b"],
    borderGatewayId: "g",
    vlans: "1000-1999",
    interconnect: "10.20.0.0/19",
    ipv6: "fd00:20::/52",
  },
  "jd-hosted",
);
if (Array.isArray(pool)) throw new Error(String(pool));
const claims: { conn: string; vlan: number; nets: string[] }[] = [];
const peers: string[] = [];
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const occ = emptyOccupancy();
  for (const c of claims) {
    occupyVlan(occ, c.conn, c.vlan, { label: "x" });
    for (const n of c.nets) occupyNetwork(occ, n, { label: "x" });
  }
  for (const p of peers) occupyNetwork(occ, p, { label: "p" });
  const r = allocateInterface(pool, "jd-hosted", occ, []);
  if (!r.ok) throw new Error(r.reason);
  claims.push({
    conn: r.slot.hostedConnectionId,
    vlan: r.slot.vlan,
    nets: [r.slot.customerAddress, r.slot.standbyCustomerAddress!],
  });
  const p = allocatePeer(pool, occ);
  if (!p.ok) throw new Error(p.reason);
  peers.push(p.slot.customerAddress);
}
console.log(`N=${N}: links + peers, occupancy rebuilt each time: ${Math.round(performance.now() - t0)} ms`);
