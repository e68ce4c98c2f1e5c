package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;

/**
 * The value of a PLUGIN request ({@code lib/messages.js pluginRequest}).
 *
 * <pre>
 * plugin (string) | version (uint) | command (uint) | flags (uint: 1 value) | [value buffer]
 * </pre>
 *
 * @param plugin the plugin's registered name
 * @param version the plugin's version; only an exact match is served
 * @param command a plugin-defined command
 * @param value the plugin-defined value, or null. Not copied: treat as immutable
 */
public record PluginRequest(String plugin, long version, long command, byte[] value) {
  private static final int VALUE = 1;

  /** Validates the fields. */
  public PluginRequest {
    if (plugin == null) {
      throw new IllegalArgumentException("plugin name must not be null");
    }
    Uints.require(version, "version");
    Uints.require(command, "command");
  }

  /** The message codec. */
  public static final Codec<PluginRequest> CODEC = new Codec<>() {
    @Override
    public int encodedLength(PluginRequest m) {
      return Compact.STRING.encodedLength(m.plugin) + Buf.uintLength(m.version) + Buf.uintLength(m.command) + 1
          + (m.value != null ? Compact.BUFFER.encodedLength(m.value) : 0);
    }

    @Override
    public void encode(PluginRequest m, Buf buf) {
      Compact.STRING.encode(m.plugin, buf);
      buf.writeUint(m.version);
      buf.writeUint(m.command);
      buf.writeUint(m.value != null ? VALUE : 0);
      if (m.value != null) {
        Compact.BUFFER.encode(m.value, buf);
      }
    }

    @Override
    public PluginRequest decode(Buf buf) {
      String plugin = Compact.STRING.decode(buf);
      long version = buf.readUint();
      long command = buf.readUint();
      long flags = buf.readUint();
      return new PluginRequest(plugin, version, command, (flags & VALUE) != 0 ? Compact.BUFFER.decode(buf) : null);
    }
  };
}
