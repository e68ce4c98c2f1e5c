package io.hyperinfer.hyperdht;

/**
 * The one error of this module ({@code lib/errors.js DHTError}). {@link #code()} mirrors the JS {@code code}
 * strings exactly, so a caller or a log can be compared with JS; the message reads {@code "CODE: message"} as in JS.
 * There is one factory per code, named after it as the JS statics are ({@code PEER_NOT_FOUND()} is
 * {@link #peerNotFound()}), and {@link #of(Code, String)} for a message of one's own. Cheap to throw: no
 * stack trace is filled in, since peers can trigger most of these once per packet.
 */
public final class HyperDhtException extends RuntimeException {

  /** Stable codes, one per {@code lib/errors.js} factory. */
  public enum Code {
    /** A PEER_HANDSHAKE reply that is not a REPLY from the node it was sent to, or carries no Noise message. */
    BAD_HANDSHAKE_REPLY("Bad handshake reply"),
    /** A PEER_HOLEPUNCH reply that is not a REPLY from the node it was sent to. */
    BAD_HOLEPUNCH_REPLY("Bad holepunch reply"),
    /** The punch was given up. */
    HOLEPUNCH_ABORTED("Holepunch aborted"),
    /** A holepunch payload that does not decrypt or decode. */
    HOLEPUNCH_INVALID("Invalid holepunch payload"),
    /** The probe round left a side's NAT unclassified. */
    HOLEPUNCH_PROBE_TIMEOUT("Holepunching probe did not finish in time"),
    /** Both NATs pick random ports: no punch can work. */
    HOLEPUNCH_DOUBLE_RANDOMIZED_NATS("Both remote and local NATs are randomized"),
    /** The server sent no holepunch information. */
    CANNOT_HOLEPUNCH("Cannot holepunch to remote"),
    /** The remote stopped punching. */
    REMOTE_NOT_HOLEPUNCHING("Remote is not holepunching"),
    /** The remote's NAT cannot be punched. */
    REMOTE_NOT_HOLEPUNCHABLE("Remote is not holepunchable"),
    /** The remote sent an ABORTED payload. */
    REMOTE_ABORTED("Remote aborted"),
    /** The handshake result was asked for before the last Noise message. */
    HANDSHAKE_UNFINISHED("Handshake did not finish"),
    /** A Noise message that does not authenticate, or a payload that does not decode. */
    HANDSHAKE_INVALID("Received invalid handshake"),
    /** The server is already listening. */
    ALREADY_LISTENING("Already listening"),
    /** Another server on this node listens with the same key pair. */
    KEYPAIR_ALREADY_USED("Keypair already used"),
    /** The DHT node was destroyed. */
    NODE_DESTROYED("Node destroyed"),
    /** Records were found but no handshake completed. */
    PEER_CONNECTION_FAILED("Could not connect to peer"),
    /** No node holds a record for the key. */
    PEER_NOT_FOUND("Peer not found"),
    /** A raw stream was used before it was connected. */
    STREAM_NOT_CONNECTED("Stream is not connected"),
    /** The server's payload version is not 1. */
    SERVER_INCOMPATIBLE("Server is using an incompatible version"),
    /** The server's payload carries an error, or no UDX information. */
    SERVER_ERROR("Server returned an error"),
    /** A second connection to the same key lost the tie-break. */
    DUPLICATE_CONNECTION("Duplicate connection"),
    /** The blind relay gave up. */
    RELAY_ABORTED("Relay aborted"),
    /** Ours: the caller cancelled the connect's future before it completed (JS destroys the pending stream). */
    CONNECT_ABORTED("Connection aborted"),
    /** The node is suspended. */
    SUSPENDED("Suspended"),
    /**
     * Ours: no node stored a mutable value because each holds another value with the same seq (their error
     * replies carry {@link PeerError#SEQ_REUSED}; JS resolves its put and ignores them).
     */
    SEQ_REUSED("Sequence number already used for another value"),
    /** Ours: no node stored a mutable value because each holds a higher seq ({@link PeerError#SEQ_TOO_LOW}). */
    SEQ_TOO_LOW("Sequence number lower than the stored one");

    private final String defaultMessage;

    Code(String defaultMessage) {
      this.defaultMessage = defaultMessage;
    }

    /** JS's message when none is given. */
    public String defaultMessage() {
      return defaultMessage;
    }
  }

  private final Code code;
  private final String plainMessage;
  private final ConnectTrace trace;

  private HyperDhtException(Code code, String message, ConnectTrace trace) {
    super(code.name() + ": " + message + (trace == null ? "" : " [" + trace + "]"), null, false, false);
    this.code = code;
    this.plainMessage = message;
    this.trace = trace;
  }

  private HyperDhtException(Code code, String message) {
    this(code, message, null);
  }

  /** The stable code, as the JS {@code err.code} string. */
  public Code code() {
    return code;
  }

  /** The message without the code's prefix or the trace. */
  String plainMessage() {
    return plainMessage;
  }

  /** What the failed connect did, phase by phase; null for errors that are not a connect's. */
  public ConnectTrace trace() {
    return trace;
  }

  /** This error with the trace of the connect it ended (its message then lists the steps). */
  public HyperDhtException withTrace(ConnectTrace connectTrace) {
    return new HyperDhtException(code, plainMessage, connectTrace);
  }

  /** An exception with {@code code} and its default message. */
  public static HyperDhtException of(Code code) {
    return new HyperDhtException(code, code.defaultMessage);
  }

  /** An exception with {@code code} and {@code message} (JS passes a message in a few places). */
  public static HyperDhtException of(Code code, String message) {
    return new HyperDhtException(code, message);
  }

  /** {@link Code#BAD_HANDSHAKE_REPLY} with JS's default message. */
  public static HyperDhtException badHandshakeReply() {
    return of(Code.BAD_HANDSHAKE_REPLY);
  }

  /** {@link Code#BAD_HOLEPUNCH_REPLY} with JS's default message. */
  public static HyperDhtException badHolepunchReply() {
    return of(Code.BAD_HOLEPUNCH_REPLY);
  }

  /** {@link Code#HOLEPUNCH_ABORTED} with JS's default message. */
  public static HyperDhtException holepunchAborted() {
    return of(Code.HOLEPUNCH_ABORTED);
  }

  /** {@link Code#HOLEPUNCH_INVALID} with JS's default message. */
  public static HyperDhtException holepunchInvalid() {
    return of(Code.HOLEPUNCH_INVALID);
  }

  /** {@link Code#HOLEPUNCH_PROBE_TIMEOUT} with JS's default message. */
  public static HyperDhtException holepunchProbeTimeout() {
    return of(Code.HOLEPUNCH_PROBE_TIMEOUT);
  }

  /** {@link Code#HOLEPUNCH_DOUBLE_RANDOMIZED_NATS} with JS's default message. */
  public static HyperDhtException holepunchDoubleRandomizedNats() {
    return of(Code.HOLEPUNCH_DOUBLE_RANDOMIZED_NATS);
  }

  /** {@link Code#CANNOT_HOLEPUNCH} with JS's default message. */
  public static HyperDhtException cannotHolepunch() {
    return of(Code.CANNOT_HOLEPUNCH);
  }

  /** {@link Code#REMOTE_NOT_HOLEPUNCHING} with JS's default message. */
  public static HyperDhtException remoteNotHolepunching() {
    return of(Code.REMOTE_NOT_HOLEPUNCHING);
  }

  /** {@link Code#REMOTE_NOT_HOLEPUNCHABLE} with JS's default message. */
  public static HyperDhtException remoteNotHolepunchable() {
    return of(Code.REMOTE_NOT_HOLEPUNCHABLE);
  }

  /** {@link Code#REMOTE_ABORTED} with JS's default message. */
  public static HyperDhtException remoteAborted() {
    return of(Code.REMOTE_ABORTED);
  }

  /** {@link Code#HANDSHAKE_UNFINISHED} with JS's default message. */
  public static HyperDhtException handshakeUnfinished() {
    return of(Code.HANDSHAKE_UNFINISHED);
  }

  /** {@link Code#HANDSHAKE_INVALID} with JS's default message. */
  public static HyperDhtException handshakeInvalid() {
    return of(Code.HANDSHAKE_INVALID);
  }

  /** {@link Code#ALREADY_LISTENING} with JS's default message. */
  public static HyperDhtException alreadyListening() {
    return of(Code.ALREADY_LISTENING);
  }

  /** {@link Code#KEYPAIR_ALREADY_USED} with JS's default message. */
  public static HyperDhtException keypairAlreadyUsed() {
    return of(Code.KEYPAIR_ALREADY_USED);
  }

  /** {@link Code#NODE_DESTROYED} with JS's default message. */
  public static HyperDhtException nodeDestroyed() {
    return of(Code.NODE_DESTROYED);
  }

  /** {@link Code#PEER_CONNECTION_FAILED} with JS's default message. */
  public static HyperDhtException peerConnectionFailed() {
    return of(Code.PEER_CONNECTION_FAILED);
  }

  /** {@link Code#PEER_NOT_FOUND} with JS's default message. */
  public static HyperDhtException peerNotFound() {
    return of(Code.PEER_NOT_FOUND);
  }

  /** {@link Code#STREAM_NOT_CONNECTED} with JS's default message. */
  public static HyperDhtException streamNotConnected() {
    return of(Code.STREAM_NOT_CONNECTED);
  }

  /** {@link Code#SERVER_INCOMPATIBLE} with JS's default message. */
  public static HyperDhtException serverIncompatible() {
    return of(Code.SERVER_INCOMPATIBLE);
  }

  /** {@link Code#SERVER_ERROR} with JS's default message. */
  public static HyperDhtException serverError() {
    return of(Code.SERVER_ERROR);
  }

  /** {@link Code#DUPLICATE_CONNECTION} with JS's default message. */
  public static HyperDhtException duplicateConnection() {
    return of(Code.DUPLICATE_CONNECTION);
  }

  /** {@link Code#RELAY_ABORTED} with JS's default message. */
  public static HyperDhtException relayAborted() {
    return of(Code.RELAY_ABORTED);
  }

  /** {@link Code#CONNECT_ABORTED} with its default message. */
  public static HyperDhtException connectAborted() {
    return of(Code.CONNECT_ABORTED);
  }

  /** {@link Code#SUSPENDED} with JS's default message. */
  public static HyperDhtException suspended() {
    return of(Code.SUSPENDED);
  }

  /** {@link Code#SEQ_REUSED} with its default message. */
  public static HyperDhtException seqReused() {
    return of(Code.SEQ_REUSED);
  }

  /** {@link Code#SEQ_TOO_LOW} with its default message. */
  public static HyperDhtException seqTooLow() {
    return of(Code.SEQ_TOO_LOW);
  }
}
