package io.hyperinfer.worker;

/** A missing or invalid config value; {@link #path()} is the dotted path of the bad key ("auth.session.ttl"). */
public final class ConfigException extends WorkerException {
  private final String path;

  private ConfigException(Code code, String path, String message) {
    super(code, message);
    this.path = path;
  }

  public String path() {
    return path;
  }

  public static ConfigException missing(String path) {
    return new ConfigException(Code.CONFIG_MISSING, path, "config key '" + path + "' is missing");
  }

  /** Missing, with what to put there: "config key 'a.b' is missing: {@code fix}". */
  public static ConfigException missing(String path, String fix) {
    return new ConfigException(Code.CONFIG_MISSING, path, "config key '" + path + "' is missing: " + fix);
  }

  public static ConfigException invalid(String path, String why) {
    return new ConfigException(Code.CONFIG_INVALID, path, "config key '" + path + "' is invalid: " + why);
  }
}
