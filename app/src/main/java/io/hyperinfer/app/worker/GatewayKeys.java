package io.hyperinfer.app.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.LauncherException;
import java.util.List;
import java.util.Locale;

/** The {@code --allow-gateway KEY} flags of Auth and the processors, added to their allowlist in the config. */
final class GatewayKeys {
  private GatewayKeys() {}

  /** Appends {@code keys} (checked: 64 hex characters) to the array {@code section.field} of {@code tree}. */
  static void add(ObjectNode tree, String section, String field, List<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    ObjectNode s = tree.withObjectProperty(section);
    ArrayNode list = s.get(field) instanceof ArrayNode existing ? existing : s.putArray(field);
    for (String key : keys) {
      String hex = key.strip().toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw LauncherException.badArgument("--allow-gateway '" + key + "' is not a public key: use the 64 hex "
            + "characters 'hyperinfer gateway --print-key' prints");
      }
      list.add(hex);
    }
  }
}
