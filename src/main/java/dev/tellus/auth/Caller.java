package dev.tellus.auth;

import java.util.UUID;

/**
 * Who is calling: a key of one project with its role. Controllers take it as an argument and pass the project on;
 * services never read the security context. With {@code TELLUS_AUTH=off} every request is the admin of
 * {@code default} without a key (keyId and keyName null).
 */
public record Caller(long projectId, String projectName, Role role, UUID keyId, String keyName) {
}
