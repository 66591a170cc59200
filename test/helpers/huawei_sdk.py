"""Huawei Cloud's own Python SDK (huaweicloudsdkdc) against this project, in two modes.

  python test/helpers/huawei_sdk.py bodies FILE
      FILE holds [{"label", "kind", "body"}]; kind is vif-create, vif-update, peer-create or
      peer-update and body the wrapper's inner object as the provider sent it. Builds the SDK's
      request model from each body and prints one JSON line: {"bodies": N, "results": [{"label",
      "unknown": [...], "missing": [...]}]}. Unknown: a field the model does not define (the model's
      constructor refuses it). Missing: a field the model requires (assigned unconditionally in its
      constructor, as the SDK's generator does for required properties) that the body lacks.

  python test/helpers/huawei_sdk.py drive URL PROJECT_ID AK SK CONNECTION_ID VLAN GATEWAY_ID
      Drives an emulator (huawei profile) with the SDK, signed with AK/SK: create, show, list
      (filters, paging), update and delete of an interface and a peer. Every answer is
      deserialized into the SDK's models; prints one JSON line {"calls": N, "warnings": [...],
      "errors": [...], "steps": [...]}.

Output is one JSON line only; nothing else is printed (the caller's test reports the result).
"""
import inspect
import json
import re
import sys
import time
import warnings

from huaweicloudsdkdc.v3 import model as M

MODELS = {
    "vif-create": M.CreateVirtualInterface,
    "vif-update": M.UpdateVirtualInterface,
    "peer-create": M.CreateVifPeer,
    "peer-update": M.UpdateVifPeer,
}


def required_fields(klass):
    """Parameters the generated constructor assigns without an `is not None` guard."""
    src = inspect.getsource(klass.__init__)
    guarded = set(re.findall(r"if (\w+) is not None:\n\s+self\.\1 = \1", src))
    assigned = set(re.findall(r"^\s+self\.(\w+) = \1$", src, re.M))
    return sorted(assigned - guarded)


def nested_model(type_name):
    m = re.match(r"list\[(\w+)\]$", type_name) or re.match(r"(\w+)$", type_name)
    if not m:
        return None
    return getattr(M, m.group(1), None)


def check(klass, body, path):
    unknown, missing = [], []
    known = klass.openapi_types
    for key, value in body.items():
        if key not in known:
            unknown.append(path + key)
            continue
        sub = nested_model(known[key])
        if sub is not None and hasattr(sub, "openapi_types"):
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    u, m = check(sub, item, f"{path}{key}[{i}].")
                    unknown += u
                    missing += m
    for key in required_fields(klass):
        if body.get(key) is None:
            missing.append(path + key)
    # The SDK model must accept exactly the known fields; an unknown one is a TypeError.
    klass(**{k: v for k, v in body.items() if k in known})
    if any(k not in known for k in body):
        try:
            klass(**body)
            raise AssertionError(f"{klass.__name__} accepted an unknown field")
        except TypeError:
            pass
    return unknown, missing


def bodies(file):
    items = json.load(open(file))
    results = []
    for item in items:
        klass = MODELS[item["kind"]]
        unknown, missing = check(klass, item["body"], "")
        results.append({"label": item["label"], "unknown": unknown, "missing": missing})
    print(json.dumps({"bodies": len(items), "results": results}))


def drive(url, project_id, ak, sk, connection_id, vlan, gateway_id):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions import exceptions
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkdc.v3 import DcClient

    import logging

    logging.disable(logging.CRITICAL)
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    client = (
        DcClient.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials(ak, sk, project_id))
        .with_endpoints([url])
        .build()
    )
    steps, errors, caught = [], [], []
    calls = 0

    def call(name, fn, request, expect_status=None):
        nonlocal calls
        calls += 1
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                resp = fn(request)
                json.dumps(resp.to_json_object(), default=str)
            except exceptions.ClientRequestException as e:
                if expect_status is not None and e.status_code == expect_status:
                    steps.append(f"{name}: {e.status_code} {e.error_code}")
                    return None
                errors.append(f"{name}: {e.status_code} {e.error_code} {e.error_msg}")
                return None
            except Exception as e:  # a parse failure is what this mode looks for
                errors.append(f"{name}: {type(e).__name__}: {e}")
                return None
            finally:
                caught.extend(f"{name}: {x.category.__name__}: {x.message}" for x in w)
        if expect_status is not None:
            errors.append(f"{name}: expected HTTP {expect_status}, got {resp.status_code}")
        steps.append(f"{name}: {resp.status_code}")
        return resp

    def wait(vif_id, want):
        for _ in range(200):
            r = call("ShowVirtualInterface", client.show_virtual_interface,
                     M.ShowVirtualInterfaceRequest(virtual_interface_id=vif_id))
            if r is None or r.virtual_interface.status == want:
                return r
            time.sleep(0.05)
        errors.append(f"interface {vif_id} never reached {want}")

    vif_body = M.CreateVirtualInterface(
        name="sdk-vif", description="made by huaweicloudsdkdc", direct_connect_id=connection_id,
        type="private", vlan=int(vlan), bandwidth=100, vgw_id=gateway_id, route_mode="bgp",
        bgp_asn=65010, bgp_md5="sdk-md5-key", local_gateway_v4_ip="10.9.0.2/30",
        remote_gateway_v4_ip="10.9.0.1/30", remote_ep_group=["192.168.90.0/24"])
    created = call("CreateVirtualInterface", client.create_virtual_interface,
                   M.CreateVirtualInterfaceRequest(body=M.CreateVirtualInterfaceRequestBody(virtual_interface=vif_body)))
    if created is None:
        print(json.dumps({"calls": calls, "warnings": caught, "errors": errors, "steps": steps}))
        return
    vif_id = created.virtual_interface.id
    if created.virtual_interface.vif_peers is not None:
        errors.append("create answered vif_peers that is not null (Huawei's example: null while PENDING_CREATE)")
    wait(vif_id, "ACTIVE")
    for name, req in [
        ("ListVirtualInterfaces(direct_connect_id)", M.ListVirtualInterfacesRequest(direct_connect_id=[connection_id])),
        ("ListVirtualInterfaces(id,status)", M.ListVirtualInterfacesRequest(id=[vif_id], status=["ACTIVE"])),
        ("ListVirtualInterfaces(vgw_id,limit=1)", M.ListVirtualInterfacesRequest(vgw_id=[gateway_id], limit=1)),
    ]:
        r = call(name, client.list_virtual_interfaces, req)
        if r is not None and vif_id not in [v.id for v in r.virtual_interfaces]:
            errors.append(f"{name}: the interface is not listed")
    # Paging: one item per page, following next_marker to the end.
    marker, seen = None, []
    for _ in range(50):
        r = call("ListVirtualInterfaces(limit=1,marker)", client.list_virtual_interfaces,
                 M.ListVirtualInterfacesRequest(limit=1, marker=marker))
        if r is None:
            break
        seen += [v.id for v in r.virtual_interfaces]
        if len(r.virtual_interfaces) > 1:
            errors.append("a page of limit=1 held more than one interface")
        marker = r.page_info.next_marker if r.page_info else None
        if not marker or not r.virtual_interfaces:
            break
    if vif_id not in seen:
        errors.append("paging with limit=1 never reached the interface")
    call("UpdateVirtualInterface", client.update_virtual_interface, M.UpdateVirtualInterfaceRequest(
        virtual_interface_id=vif_id,
        body=M.UpdateVirtualInterfaceRequestBody(
            virtual_interface=M.UpdateVirtualInterface(name="sdk-vif-renamed", description="renamed"))))
    peer = call("CreateVifPeer", client.create_vif_peer, M.CreateVifPeerRequest(
        body=M.CreateVifPeerRequestBody(vif_peer=M.CreateVifPeer(
            name="sdk-peer-v6", description="ipv6 peer", address_family="ipv6",
            local_gateway_ip="fd00:90::1/64", remote_gateway_ip="fd00:90::2/64", route_mode="bgp",
            bgp_asn=65010, bgp_md5="sdk-md5-key", remote_ep_group=["fd00:91::/64"], vif_id=vif_id))))
    if peer is not None:
        peer_id = peer.vif_peer.id
        for _ in range(200):
            r = wait(vif_id, "ACTIVE")
            peers = (r.virtual_interface.vif_peers or []) if r else []
            if any(p.id == peer_id and p.status == "ACTIVE" for p in peers):
                break
            time.sleep(0.05)
        call("UpdateVifPeer", client.update_vif_peer, M.UpdateVifPeerRequest(
            vif_peer_id=peer_id,
            body=M.UpdateVifPeerRequestBody(vif_peer=M.UpdateVifPeer(
                name="sdk-peer-renamed", description="renamed", remote_ep_group=["fd00:92::/64"]))))
        call("DeleteVifPeer", client.delete_vif_peer, M.DeleteVifPeerRequest(vif_peer_id=peer_id))
        for _ in range(200):
            r = wait(vif_id, "ACTIVE")
            if r is None or all(p.id != peer_id for p in (r.virtual_interface.vif_peers or [])):
                break
            time.sleep(0.05)
    call("DeleteVirtualInterface", client.delete_virtual_interface,
         M.DeleteVirtualInterfaceRequest(virtual_interface_id=vif_id))
    gone = False
    for _ in range(200):
        r = call("ShowVirtualInterface(deleting)", client.show_virtual_interface,
                 M.ShowVirtualInterfaceRequest(virtual_interface_id=vif_id), expect_status=404)
        if r is None:
            gone = True
            break
        errors.pop()  # still PENDING_DELETE: parsed fine, not yet gone
        time.sleep(0.05)
    if not gone:
        errors.append("the interface was never gone after DELETE")
    print(json.dumps({"calls": calls, "warnings": caught, "errors": errors, "steps": steps}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bodies":
        bodies(sys.argv[2])
    elif mode == "drive":
        drive(*sys.argv[2:9])
    else:
        raise SystemExit(f"unknown mode {mode}")
