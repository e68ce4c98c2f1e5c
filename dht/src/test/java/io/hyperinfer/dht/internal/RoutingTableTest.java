package io.hyperinfer.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private static final HexFormat HEX = HexFormat.of();

  private static TableNode node(byte[] id) {
    return new TableNode(id, "127.0.0.1", 1, null);
  }

  @Test
  void shouldAgreeWithJsKademliaRoutingTableOnAddsRemovesAndClosest() {
    int checks = 0;
    for (JsonNode tc : JsGolden.get("tables")) {
      int[] fullEvents = {0};
      RoutingTable t = new RoutingTable(HEX.parseHex(tc.get("id").asText()), (n, row) -> fullEvents[0]++);
      int expectedFull = 0;
      for (JsonNode op : tc.get("ops")) {
        switch (op.get(0).asText()) {
          case "add" -> {
            boolean added = t.add(node(HEX.parseHex(op.get(1).asText())));
            assertEquals(op.get(2).asBoolean(), added);
            if (!added) {
              expectedFull++;
            }
          }
          case "remove" -> assertEquals(op.get(2).asBoolean(), t.remove(HEX.parseHex(op.get(1).asText())));
          case "closest" -> {
            List<String> got = t.closest(HEX.parseHex(op.get(1).asText()), op.get(2).asInt()).stream()
                .map(n -> HEX.formatHex(n.id)).toList();
            List<String> want = new ArrayList<>();
            op.get(3).forEach(x -> want.add(x.asText()));
            assertEquals(want, got);
          }
          case "size" -> assertEquals(op.get(1).asInt(), t.size());
          default -> throw new AssertionError(op);
        }
        checks++;
      }
      assertEquals(expectedFull, fullEvents[0], "one full-row event per refused add");
    }
    assertTrue(checks > 1000);
  }

  @Test
  void shouldKeepRowsSortedReplaceSameIdAndFindById() {
    byte[] self = new byte[32];
    RoutingTable t = new RoutingTable(self, (n, row) -> {});
    SplittableRandom r = new SplittableRandom(7);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      byte[] id = new byte[32];
      r.nextBytes(id);
      if (t.add(node(id))) {
        ids.add(HEX.formatHex(id));
      }
    }
    assertEquals(ids.size(), t.size());
    for (String h : ids) {
      assertNotNull(t.get(HEX.parseHex(h)));
    }
    byte[] some = HEX.parseHex(ids.iterator().next());
    TableNode replacement = node(some.clone());
    assertTrue(t.add(replacement));
    assertSame(replacement, t.get(some));
    assertEquals(ids.size(), t.size());
    assertEquals(ids.size(), t.toList().size());
    assertNull(t.get(new byte[32]));
    assertFalse(t.remove(new byte[32]));
    assertEquals(255, t.diff(self));
  }

  @Test
  void shouldPickRandomNodesFromEveryRowAndNoneWhenEmpty() {
    RoutingTable t = new RoutingTable(new byte[32], (n, row) -> {});
    SplittableRandom r = new SplittableRandom(3);
    assertNull(t.random(r));
    for (int i = 0; i < 5; i++) {
      byte[] id = new byte[32];
      id[0] = (byte) (0x80 >>> i);
      t.add(node(id));
    }
    Set<Integer> rows = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      rows.add(t.diff(t.random(r).id));
    }
    assertEquals(Set.of(0, 1, 2, 3, 4), rows);
  }

  @Test
  void shouldTellTheListenerWhichRowIsFull() {
    byte[] self = new byte[32];
    List<Integer> fullSizes = new ArrayList<>();
    RoutingTable t = new RoutingTable(self, (n, row) -> fullSizes.add(row.size()));
    for (int i = 0; i < 21; i++) {
      byte[] id = new byte[32];
      id[0] = (byte) 0x80;
      id[31] = (byte) i;
      t.add(node(id));
    }
    assertEquals(List.of(20), fullSizes);
    assertEquals(20, t.size());
  }
}
