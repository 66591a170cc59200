// CIDR helpers: strict parsing, canonical text, networks, overlap and the /30 host rules.
import assert from "node:assert/strict";
import {
  canonicalCidr,
  canonicalNetwork,
  cidrContains,
  cidrsOverlap,
  hasHostBits,
  isCidr,
  isNetworkCidr,
  isPrivateV4,
  isSlash30HostAddress,
  networkOf,
  parseCidr,
  parseCidrDetailed,
  sameAddress,
  sameSubnet,
  slash30HostAddresses,
} from "../../../api/net";

describe("api/net", () => {
  it("parses host-address and network CIDRs of both families", () => {
    assert.deepEqual(
      { ...parseCidr("10.0.0.1/30"), value: undefined },
      { family: "ipv4", address: "10.0.0.1", prefix: 30, value: undefined, width: 32 },
    );
    assert.equal(parseCidr("192.168.50.0/24")?.prefix, 24);
    assert.equal(parseCidr("FD00:0:0::1/64")?.address, "fd00::1");
    assert.equal(parseCidr("0.0.0.0/0")?.prefix, 0);
  });

  it("refuses loose or malformed text", () => {
    for (const bad of [
      "10.0.0.1",
      "10.1/8",
      "0xa.0.0.1/8",
      "010.0.0.1/30",
      "10.0.0.256/30",
      "10.0.0.1/33",
      "10.0.0.1/030",
      "10.0.0.1/",
      "fd00::1/129",
      "fe80::1%eth0/64",
      " 10.0.0.1/30",
      "",
      42,
      null,
    ]) {
      assert.equal(parseCidr(bad), undefined, String(bad));
      const r = parseCidrDetailed(bad);
      assert.ok(!r.ok && r.reason.length > 0);
    }
    assert.equal(isCidr("10.0.0.1/30", "ipv6"), false);
    assert.equal(isCidr("fd00::1/64", "ipv6"), true);
  });

  it("canonicalises text without changing the address or prefix", () => {
    assert.equal(canonicalCidr("FD00:0000:0000::0001/64"), "fd00::1/64");
    assert.equal(canonicalCidr("2001:DB8:0:0:1:0:0:1/64"), "2001:db8::1:0:0:1/64");
    assert.equal(canonicalCidr("10.0.0.1/30"), "10.0.0.1/30");
    assert.equal(canonicalCidr("not a cidr"), "not a cidr");
    assert.equal(canonicalNetwork("10.0.0.1/30"), "10.0.0.0/30");
    assert.equal(canonicalNetwork("fd00::1:2/112"), "fd00::1:0/112");
    assert.equal(canonicalNetwork("10.1.2.3/0"), "0.0.0.0/0");
    assert.equal(networkOf("192.168.50.77/24").address, "192.168.50.0");
  });

  it("detects host bits", () => {
    assert.equal(hasHostBits("192.168.50.1/24"), true);
    assert.equal(hasHostBits("192.168.50.0/24"), false);
    assert.equal(hasHostBits("10.0.0.1/32"), false);
    assert.equal(isNetworkCidr("fd00:100::/56", "ipv6"), true);
    assert.equal(isNetworkCidr("fd00:100::1/56"), false);
    assert.equal(isNetworkCidr("192.168.50.0/24", "ipv6"), false);
    assert.throws(() => hasHostBits("nope"), TypeError);
  });

  it("compares subnets and overlap", () => {
    assert.equal(sameSubnet("10.0.0.1/30", "10.0.0.2/30"), true);
    assert.equal(sameSubnet("10.0.0.2/30", "10.0.0.5/30"), false);
    assert.equal(sameSubnet("10.0.0.1/30", "10.0.0.2/29"), false);
    assert.equal(sameSubnet("fd00:1::1/64", "fd00:1::ffff/64"), true);
    assert.equal(sameSubnet("10.0.0.1/30", "fd00::1/30"), false);
    assert.equal(cidrsOverlap("10.0.0.0/8", "10.200.0.0/16"), true);
    assert.equal(cidrsOverlap("10.200.0.0/16", "10.0.0.0/8"), true);
    assert.equal(cidrsOverlap("10.0.0.0/30", "10.0.0.4/30"), false);
    assert.equal(cidrsOverlap("172.16.0.0/16", "172.16.255.253/30"), true);
    assert.equal(cidrsOverlap("172.16.0.0/16", "172.17.0.1/30"), false);
    assert.equal(cidrsOverlap("0.0.0.0/0", "fd00::/8"), false);
    assert.equal(cidrContains("10.0.0.0/8", "10.1.0.0/16"), true);
    assert.equal(cidrContains("10.1.0.0/16", "10.0.0.0/8"), false);
    assert.equal(sameAddress("FD00::1/64", "fd00:0::1/127"), true);
  });

  it("knows the three private IPv4 ranges and their edges", () => {
    for (const yes of [
      "10.0.0.1",
      "10.255.255.254/30",
      "172.16.0.1/30",
      "172.31.255.254/30",
      "192.168.0.1/30",
    ]) {
      assert.equal(isPrivateV4(yes), true, yes);
    }
    for (const no of [
      "9.255.255.254/30",
      "11.0.0.1/30",
      "172.15.255.254/30",
      "172.32.0.1/30",
      "192.169.0.1/30",
      "100.64.0.1/30",
      "fd00::1/64",
      "10.0.0.0/7",
    ]) {
      assert.equal(isPrivateV4(no), false, no);
    }
  });

  it("knows the host addresses of a /30", () => {
    assert.equal(isSlash30HostAddress("10.0.0.1/30"), true);
    assert.equal(isSlash30HostAddress("10.0.0.2/30"), true);
    assert.equal(isSlash30HostAddress("10.0.0.0/30"), false);
    assert.equal(isSlash30HostAddress("10.0.0.3/30"), false);
    assert.equal(isSlash30HostAddress("10.0.0.1/29"), false);
    assert.equal(isSlash30HostAddress("10.0.0.5/30"), true);
    assert.deepEqual(slash30HostAddresses("10.0.0.7/30"), ["10.0.0.5/30", "10.0.0.6/30"]);
    assert.deepEqual(slash30HostAddresses("192.168.255.253/30"), [
      "192.168.255.253/30",
      "192.168.255.254/30",
    ]);
  });
});
