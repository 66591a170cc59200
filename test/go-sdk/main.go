// Command go-sdk drives the dcaas-emulator (huawei profile) with Huawei Cloud's own Go SDK
// (github.com/huaweicloud/huaweicloud-sdk-go-v3, services/dc/v3), signed with AK/SK:
//
//	go run . drive URL PROJECT_ID AK SK CONNECTION_ID VLAN GATEWAY_ID
//
// Create (with tags), show, list (filters, paging by limit and marker), update (name and
// description, bandwidth, remote_ep_group), the dc-vif tags action (create, delete) and delete of
// a virtual interface and of a vif peer, then show after delete until 404. Every answer is
// deserialized into the SDK's models. It prints exactly one JSON line on stdout,
// {"calls": N, "errors": [...], "steps": [...]}, and nothing else: the SDK's own log output is
// discarded (the caller's test reports the result). The mirror of test/helpers/huawei_sdk.py.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	dc "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dc/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dc/v3/model"
)

type result struct {
	Calls  int      `json:"calls"`
	Errors []string `json:"errors"`
	Steps  []string `json:"steps"`
}

var out = result{Errors: []string{}, Steps: []string{}}

func fail(format string, a ...any) { out.Errors = append(out.Errors, fmt.Sprintf(format, a...)) }

func ptr[T any](v T) *T { return &v }

// call runs one SDK operation. want is the HTTP status it must answer: 0 for any 2xx, or an
// error status (then a 2xx is an error). A ServiceResponseError with a 2xx status is the SDK
// failing to deserialize the answer into its model: the failure this driver looks for.
func call[R any](name string, want int, fn func() (*R, error), status func(*R) int) *R {
	out.Calls++
	resp, err := fn()
	if err != nil {
		var se *sdkerr.ServiceResponseError
		if errors.As(err, &se) {
			if se.StatusCode < 300 {
				fail("%s: the answer (HTTP %d) does not deserialize: %s", name, se.StatusCode, se.ErrorMessage)
			} else if want != 0 && se.StatusCode == want {
				out.Steps = append(out.Steps, fmt.Sprintf("%s: %d %s", name, se.StatusCode, se.ErrorCode))
			} else {
				fail("%s: %d %s %s", name, se.StatusCode, se.ErrorCode, se.ErrorMessage)
			}
		} else {
			fail("%s: %T: %v", name, err, err)
		}
		return nil
	}
	code := status(resp)
	// Every answer must also serialize back from the model (as the Python driver's to_json_object).
	if _, err := json.Marshal(resp); err != nil {
		fail("%s: the model does not serialize: %v", name, err)
	}
	if want != 0 {
		fail("%s: expected HTTP %d, got %d", name, want, code)
	}
	out.Steps = append(out.Steps, fmt.Sprintf("%s: %d", name, code))
	return resp
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func tagMap(tags *[]model.Tag) map[string]string {
	m := map[string]string{}
	if tags != nil {
		for _, t := range *tags {
			m[t.Key] = str(t.Value)
		}
	}
	return m
}

// The SDK's enums take any string when they deserialize; an answer must hold one of its values.
var (
	vifTypes     = []string{"private", "public"}
	serviceTypes = []string{"VGW", "GDGW", "LGW"}
	priorities   = []string{"normal", "low"}
	routeModes   = []string{"bgp", "static"}
)

func enum(name, field string, value interface{ Value() string }, allowed []string) {
	if !slices.Contains(allowed, value.Value()) {
		fail("%s: %s %q is none of the SDK's values %v", name, field, value.Value(), allowed)
	}
}

// checkVif checks what the SDK's deserialization leaves unchecked in an interface it parsed.
func checkVif(name string, v *model.VirtualInterface) {
	if v == nil {
		fail("%s: no virtual_interface in the answer", name)
		return
	}
	if v.Id == nil || v.Status == nil {
		fail("%s: the interface has no id or status", name)
	}
	if v.Type != nil {
		enum(name, "type", v.Type, vifTypes)
	}
	if v.ServiceType != nil {
		enum(name, "service_type", v.ServiceType, serviceTypes)
	}
	if v.Priority != nil {
		enum(name, "priority", v.Priority, priorities)
	}
	if v.CreateTime == nil || time.Time(*v.CreateTime).IsZero() {
		fail("%s: create_time did not parse into the model", name)
	}
	if v.VifPeers != nil {
		for _, p := range *v.VifPeers {
			checkPeer(name, &p)
		}
	}
}

func checkPeer(name string, p *model.VifPeer) {
	if p == nil || p.Id == nil || p.Status == nil {
		fail("%s: a peer without id or status", name)
		return
	}
	if p.RouteMode != nil {
		enum(name, "vif_peers[].route_mode", p.RouteMode, routeModes)
	}
}

func drive(url, projectID, ak, sk, connectionID string, vlan int32, gatewayID string) {
	auth, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(projectID).SafeBuild()
	if err != nil {
		fail("credentials: %v", err)
		return
	}
	hc, err := dc.DcClientBuilder().
		WithEndpoints([]string{url}).
		WithCredential(auth).
		WithHttpConfig(config.DefaultHttpConfig().WithTimeout(30 * time.Second)).
		SafeBuild()
	if err != nil {
		fail("client: %v", err)
		return
	}
	client := dc.NewDcClient(hc)

	show := func(name, id string, want int) *model.ShowVirtualInterfaceResponse {
		return call(name, want, func() (*model.ShowVirtualInterfaceResponse, error) {
			return client.ShowVirtualInterface(&model.ShowVirtualInterfaceRequest{VirtualInterfaceId: id})
		}, func(r *model.ShowVirtualInterfaceResponse) int { return r.HttpStatusCode })
	}
	// wait shows the interface until cond holds (at most 200 polls, 50 ms apart).
	wait := func(id, what string, cond func(*model.VirtualInterface) bool) *model.VirtualInterface {
		for range 200 {
			r := show("ShowVirtualInterface", id, 0)
			if r == nil {
				return nil
			}
			if r.VirtualInterface == nil {
				fail("ShowVirtualInterface: no virtual_interface in the answer")
				return nil
			}
			checkVif("ShowVirtualInterface", r.VirtualInterface)
			if cond(r.VirtualInterface) {
				return r.VirtualInterface
			}
			time.Sleep(50 * time.Millisecond)
		}
		fail("interface %s never reached %s", id, what)
		return nil
	}
	active := func(v *model.VirtualInterface) bool { return str(v.Status) == "ACTIVE" }
	list := func(name string, req *model.ListVirtualInterfacesRequest) *model.ListVirtualInterfacesResponse {
		r := call(name, 0, func() (*model.ListVirtualInterfacesResponse, error) {
			return client.ListVirtualInterfaces(req)
		}, func(r *model.ListVirtualInterfacesResponse) int { return r.HttpStatusCode })
		if r != nil && r.VirtualInterfaces != nil {
			for i := range *r.VirtualInterfaces {
				checkVif(name, &(*r.VirtualInterfaces)[i])
			}
		}
		return r
	}
	updateVif := func(name, id string, body model.UpdateVirtualInterface) *model.VirtualInterface {
		r := call(name, 0, func() (*model.UpdateVirtualInterfaceResponse, error) {
			return client.UpdateVirtualInterface(&model.UpdateVirtualInterfaceRequest{
				VirtualInterfaceId: id,
				Body:               &model.UpdateVirtualInterfaceRequestBody{VirtualInterface: &body},
			})
		}, func(r *model.UpdateVirtualInterfaceResponse) int { return r.HttpStatusCode })
		if r == nil {
			return nil
		}
		checkVif(name, r.VirtualInterface)
		return r.VirtualInterface
	}
	tagsAction := func(name, id string, action model.BatchOperateResourceTagsRequestBodyAction, tags []model.Tag) {
		call(name, 0, func() (*model.BatchCreateResourceTagsResponse, error) {
			return client.BatchCreateResourceTags(&model.BatchCreateResourceTagsRequest{
				ResourceId:   id,
				ResourceType: model.GetBatchCreateResourceTagsRequestResourceTypeEnum().DC_VIF,
				Body:         &model.BatchOperateResourceTagsRequestBody{Action: action, Tags: &tags},
			})
		}, func(r *model.BatchCreateResourceTagsResponse) int { return r.HttpStatusCode })
	}

	// --- create, with tags in the body ---------------------------------------------------------
	created := call("CreateVirtualInterface", 0, func() (*model.CreateVirtualInterfaceResponse, error) {
		return client.CreateVirtualInterface(&model.CreateVirtualInterfaceRequest{
			Body: &model.CreateVirtualInterfaceRequestBody{VirtualInterface: &model.CreateVirtualInterface{
				Name:              ptr("go-sdk-vif"),
				Description:       ptr("made by huaweicloud-sdk-go-v3"),
				DirectConnectId:   ptr(connectionID),
				Type:              model.GetCreateVirtualInterfaceTypeEnum().PRIVATE,
				Vlan:              vlan,
				Bandwidth:         100,
				VgwId:             ptr(gatewayID),
				RouteMode:         model.GetCreateVirtualInterfaceRouteModeEnum().BGP,
				BgpAsn:            ptr(int32(65020)),
				BgpMd5:            ptr("go-sdk-md5-key"),
				LocalGatewayV4Ip:  ptr("10.9.1.2/30"),
				RemoteGatewayV4Ip: ptr("10.9.1.1/30"),
				RemoteEpGroup:     &[]string{"192.168.93.0/24"},
				Tags:              &[]model.Tag{{Key: "made-by", Value: ptr("go-sdk")}, {Key: "suite", Value: ptr("emulator")}},
			}},
		})
	}, func(r *model.CreateVirtualInterfaceResponse) int { return r.HttpStatusCode })
	if created == nil {
		return
	}
	if created.VirtualInterface == nil || created.VirtualInterface.Id == nil {
		fail("CreateVirtualInterface: no virtual_interface.id in the answer")
		return
	}
	vifID := *created.VirtualInterface.Id
	checkVif("CreateVirtualInterface", created.VirtualInterface)
	if created.VirtualInterface.VifPeers != nil {
		fail("create answered vif_peers that is not null (Huawei's example: null while PENDING_CREATE)")
	}
	v := wait(vifID, "ACTIVE", active)
	if v != nil {
		if got := tagMap(v.Tags); got["made-by"] != "go-sdk" || got["suite"] != "emulator" {
			fail("ShowVirtualInterface: the create body's tags are not shown: %v", got)
		}
		if v.Bandwidth == nil || *v.Bandwidth != 100 || v.Vlan == nil || *v.Vlan != vlan {
			fail("ShowVirtualInterface: bandwidth or vlan differ from the create body")
		}
	}

	// --- list: filters and paging ----------------------------------------------------------------
	for _, l := range []struct {
		name string
		req  model.ListVirtualInterfacesRequest
	}{
		{"ListVirtualInterfaces(direct_connect_id)", model.ListVirtualInterfacesRequest{DirectConnectId: &[]string{connectionID}}},
		{"ListVirtualInterfaces(id,status)", model.ListVirtualInterfacesRequest{Id: &[]string{vifID}, Status: &[]string{"ACTIVE"}}},
		{"ListVirtualInterfaces(vgw_id,limit=1)", model.ListVirtualInterfacesRequest{VgwId: &[]string{gatewayID}, Limit: ptr(int32(1))}},
		// The SDK sends every list as repeated keys (id=a&id=b), enterprise_project_id included.
		{"ListVirtualInterfaces(id=2 values)", model.ListVirtualInterfacesRequest{Id: &[]string{vifID, "00000000-0000-4000-8000-000000000000"}}},
		{"ListVirtualInterfaces(enterprise_project_id=2 values)", model.ListVirtualInterfacesRequest{
			EnterpriseProjectId: &[]string{"0", "00000000-0000-4000-8000-000000000000"}}},
	} {
		r := list(l.name, &l.req)
		if r == nil {
			continue
		}
		if r.VirtualInterfaces == nil || !slices.ContainsFunc(*r.VirtualInterfaces, func(x model.VirtualInterface) bool { return str(x.Id) == vifID }) {
			fail("%s: the interface is not listed", l.name)
		}
	}
	// Paging: one item per page, following page_info.next_marker to the end.
	var marker *string
	var seen []string
	for range 50 {
		r := list("ListVirtualInterfaces(limit=1,marker)", &model.ListVirtualInterfacesRequest{Limit: ptr(int32(1)), Marker: marker})
		if r == nil {
			break
		}
		var page []model.VirtualInterface
		if r.VirtualInterfaces != nil {
			page = *r.VirtualInterfaces
		}
		for _, x := range page {
			seen = append(seen, str(x.Id))
		}
		if len(page) > 1 {
			fail("a page of limit=1 held more than one interface")
		}
		if r.PageInfo == nil {
			fail("ListVirtualInterfaces(limit=1,marker): no page_info")
			break
		}
		if int(r.PageInfo.CurrentCount) != len(page) {
			fail("page_info.current_count %d for a page of %d", r.PageInfo.CurrentCount, len(page))
		}
		marker = r.PageInfo.NextMarker
		if str(marker) == "" || len(page) == 0 {
			break
		}
	}
	if !slices.Contains(seen, vifID) {
		fail("paging with limit=1 never reached the interface")
	}

	// --- update: name and description, bandwidth, remote_ep_group --------------------------------
	if u := updateVif("UpdateVirtualInterface(name,description)", vifID, model.UpdateVirtualInterface{
		Name: ptr("go-sdk-vif-renamed"), Description: ptr("renamed"),
	}); u != nil && (str(u.Name) != "go-sdk-vif-renamed" || str(u.Description) != "renamed") {
		fail("UpdateVirtualInterface(name,description): the answer shows %q %q", str(u.Name), str(u.Description))
	}
	if u := updateVif("UpdateVirtualInterface(bandwidth)", vifID, model.UpdateVirtualInterface{
		Bandwidth: ptr(int32(50)),
	}); u != nil && (u.Bandwidth == nil || *u.Bandwidth != 50) {
		fail("UpdateVirtualInterface(bandwidth): the answer does not show bandwidth 50")
	}
	if u := updateVif("UpdateVirtualInterface(remote_ep_group)", vifID, model.UpdateVirtualInterface{
		RemoteEpGroup: &[]string{"192.168.93.0/24", "192.168.94.0/24"},
	}); u != nil && (u.RemoteEpGroup == nil || len(*u.RemoteEpGroup) != 2) {
		fail("UpdateVirtualInterface(remote_ep_group): the answer does not show both subnets")
	}
	if v := wait(vifID, "ACTIVE", active); v != nil {
		if str(v.Name) != "go-sdk-vif-renamed" || v.Bandwidth == nil || *v.Bandwidth != 50 ||
			v.RemoteEpGroup == nil || len(*v.RemoteEpGroup) != 2 {
			fail("ShowVirtualInterface after the updates: name %q, bandwidth %v, remote_ep_group %v",
				str(v.Name), v.Bandwidth, v.RemoteEpGroup)
		}
	}

	// --- tags: the dc-vif tags action ------------------------------------------------------------
	actions := model.GetBatchOperateResourceTagsRequestBodyActionEnum()
	tagsAction("BatchCreateResourceTags(create)", vifID, actions.CREATE,
		[]model.Tag{{Key: "owner", Value: ptr("network-team")}, {Key: "suite", Value: ptr("emulator-go")}})
	if v := wait(vifID, "ACTIVE", active); v != nil {
		if got := tagMap(v.Tags); got["owner"] != "network-team" || got["suite"] != "emulator-go" || got["made-by"] != "go-sdk" {
			fail("ShowVirtualInterface after the tags create action: %v", got)
		}
	}
	tagsAction("BatchCreateResourceTags(delete)", vifID, actions.DELETE,
		[]model.Tag{{Key: "owner"}, {Key: "made-by", Value: ptr("go-sdk")}})
	if v := wait(vifID, "ACTIVE", active); v != nil {
		if got := tagMap(v.Tags); len(got) != 1 || got["suite"] != "emulator-go" {
			fail("ShowVirtualInterface after the tags delete action: %v", got)
		}
	}

	// --- a peer: create, update, delete ----------------------------------------------------------
	peer := call("CreateVifPeer", 0, func() (*model.CreateVifPeerResponse, error) {
		return client.CreateVifPeer(&model.CreateVifPeerRequest{Body: &model.CreateVifPeerRequestBody{VifPeer: &model.CreateVifPeer{
			Name:            ptr("go-sdk-peer-v6"),
			Description:     ptr("ipv6 peer"),
			AddressFamily:   ptr("ipv6"),
			LocalGatewayIp:  ptr("fd00:93::1/64"),
			RemoteGatewayIp: ptr("fd00:93::2/64"),
			RouteMode:       ptr(model.GetCreateVifPeerRouteModeEnum().BGP),
			BgpAsn:          ptr(int32(65020)),
			BgpMd5:          ptr("go-sdk-md5-key"),
			RemoteEpGroup:   &[]string{"fd00:94::/64"},
			VifId:           ptr(vifID),
		}}})
	}, func(r *model.CreateVifPeerResponse) int { return r.HttpStatusCode })
	if peer != nil && peer.VifPeer != nil && peer.VifPeer.Id != nil {
		checkPeer("CreateVifPeer", peer.VifPeer)
		peerID := *peer.VifPeer.Id
		hasPeer := func(status string) func(*model.VirtualInterface) bool {
			return func(v *model.VirtualInterface) bool {
				if !active(v) || v.VifPeers == nil {
					return false
				}
				return slices.ContainsFunc(*v.VifPeers, func(p model.VifPeer) bool {
					return str(p.Id) == peerID && str(p.Status) == status
				})
			}
		}
		wait(vifID, "its peer ACTIVE", hasPeer("ACTIVE"))
		up := call("UpdateVifPeer", 0, func() (*model.UpdateVifPeerResponse, error) {
			return client.UpdateVifPeer(&model.UpdateVifPeerRequest{
				VifPeerId: peerID,
				Body: &model.UpdateVifPeerRequestBody{VifPeer: &model.UpdateVifPeer{
					Name: ptr("go-sdk-peer-renamed"), Description: ptr("renamed"), RemoteEpGroup: &[]string{"fd00:95::/64"},
				}},
			})
		}, func(r *model.UpdateVifPeerResponse) int { return r.HttpStatusCode })
		if up != nil && (up.VifPeer == nil || str(up.VifPeer.Name) != "go-sdk-peer-renamed") {
			fail("UpdateVifPeer: the answer does not show the new name")
		} else if up != nil {
			checkPeer("UpdateVifPeer", up.VifPeer)
		}
		call("DeleteVifPeer", 0, func() (*model.DeleteVifPeerResponse, error) {
			return client.DeleteVifPeer(&model.DeleteVifPeerRequest{VifPeerId: peerID})
		}, func(r *model.DeleteVifPeerResponse) int { return r.HttpStatusCode })
		wait(vifID, "no peer "+peerID, func(v *model.VirtualInterface) bool {
			return active(v) && (v.VifPeers == nil || !slices.ContainsFunc(*v.VifPeers, func(p model.VifPeer) bool { return str(p.Id) == peerID }))
		})
	} else if peer != nil {
		fail("CreateVifPeer: no vif_peer.id in the answer")
	}

	// --- delete the interface; show until 404 ----------------------------------------------------
	call("DeleteVirtualInterface", 0, func() (*model.DeleteVirtualInterfaceResponse, error) {
		return client.DeleteVirtualInterface(&model.DeleteVirtualInterfaceRequest{VirtualInterfaceId: vifID})
	}, func(r *model.DeleteVirtualInterfaceResponse) int { return r.HttpStatusCode })
	for range 200 {
		if show("ShowVirtualInterface(deleting)", vifID, 404) == nil {
			return // gone (the step records the code), or an error already recorded
		}
		// Still PENDING_DELETE: it parsed; drop the "expected 404" error and the step, poll again.
		out.Errors = out.Errors[:len(out.Errors)-1]
		out.Steps = out.Steps[:len(out.Steps)-1]
		time.Sleep(50 * time.Millisecond)
	}
	fail("the interface was never gone after DELETE")
}

func main() {
	// The SDK logs through the standard logger (IAM endpoint files); none of it may reach the output.
	log.SetOutput(io.Discard)
	if len(os.Args) != 9 || os.Args[1] != "drive" {
		fmt.Fprintln(os.Stderr, "usage: go-sdk drive URL PROJECT_ID AK SK CONNECTION_ID VLAN GATEWAY_ID")
		os.Exit(2)
	}
	a := os.Args[2:]
	vlan, err := strconv.Atoi(a[5])
	if err != nil {
		fmt.Fprintln(os.Stderr, "VLAN is not a number:", a[5])
		os.Exit(2)
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				fail("panic: %v", p)
			}
		}()
		drive(a[0], a[1], a[2], a[3], a[4], int32(vlan), a[6])
	}()
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}
