package io.hyperinfer.testkit;

/**
 * The NAT behaviours the testbed builds, each as an nftables ruleset for a router namespace whose uplink is
 * {@code wan0} and whose LAN bridge is {@code lan0}. Linux conntrack keeps a flow's source port when it is free, so
 * plain masquerade maps endpoint-independently; the filtering is always that of conntrack (replies only), except
 * where the full cone forwards every inbound datagram to its one LAN host. Unsolicited datagrams to the router are
 * dropped silently, as home routers do, rather than answered with ICMP errors.
 */
public enum NatKind {
  /** Endpoint-independent mapping and filtering: every inbound UDP datagram goes to the single LAN host. */
  FULL_CONE("full-cone"),
  /** Endpoint-independent mapping, address-and-port-dependent filtering (a port-restricted cone). */
  PORT_RESTRICTED("port-restricted"),
  /** A fresh random public port per destination ({@code masquerade random}), address-and-port-dependent filtering. */
  SYMMETRIC("symmetric");

  private final String label;

  NatKind(String label) {
    this.label = label;
  }

  /** The name used in reports and in {@code docs/NAT-TESTBED.md}. */
  public String label() {
    return label;
  }

  /** The ruleset for {@code nft -f -} in the router namespace; {@code lanHost} receives a full cone's inbound. */
  public String ruleset(String lanHost) {
    String inbound = this == FULL_CONE ? "    iifname \"wan0\" meta l4proto udp dnat to " + lanHost + "\n" : "";
    String forwardInbound = this == FULL_CONE ? "    iifname \"wan0\" ct status dnat accept\n" : "";
    String masquerade = this == SYMMETRIC ? "masquerade random" : "masquerade";
    return """
        table ip nat {
          chain prerouting {
            type nat hook prerouting priority dstnat; policy accept;
        %s  }
          chain postrouting {
            type nat hook postrouting priority srcnat; policy accept;
            oifname "wan0" %s
          }
        }
        table ip filter {
          chain input {
            type filter hook input priority filter; policy accept;
            iifname "wan0" ct state established,related accept
            iifname "wan0" drop
          }
          chain forward {
            type filter hook forward priority filter; policy drop;
            iifname != "wan0" accept
            ct state established,related accept
        %s  }
        }
        """.formatted(inbound, masquerade, forwardInbound);
  }
}
