package io.hyperinfer.rpc;

/**
 * What a handler receives.
 *
 * @param method the method name as sent
 * @param value the request value (null when the caller sent null or an empty value, as in JS)
 * @param event true for an event: the return value goes nowhere
 * @param session the RPC session it arrived on (its connection knows the remote public key)
 */
public record RpcRequest(String method, byte[] value, boolean event, RpcSession session) {}
