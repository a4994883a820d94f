package dev.tellus.project;

import dev.tellus.auth.DefaultProject;
import dev.tellus.auth.KeyDirectory;
import dev.tellus.auth.KeySecrets;
import dev.tellus.study.StudyService;
import dev.tellus.web.InvalidRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Projects, their keys and their audit trail. Every public method is one transaction. */
@Service
class ProjectService {

    static final int MAX_KEY_NAME = 128;

    private final JdbcClient jdbc;
    private final KeySecrets secrets;
    private final KeyDirectory keys;
    private final Clock clock;

    ProjectService(JdbcClient jdbc, KeySecrets secrets, KeyDirectory keys, Clock clock) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.keys = keys;
        this.clock = clock;
    }

    record Project(long id, String name, Quota quota, Instant createdAt) {
    }

    @Transactional
    public Project create(String name, Quota quota) {
        if (name == null || !StudyService.NAME.matcher(name).matches()) {
            throw new InvalidRequest("name", "is required and must match [A-Za-z0-9._-]{1,128}");
        }
        Quota q = (quota == null ? Quota.NONE : quota).validated();
        Instant now = clock.instant();
        return jdbc.sql("""
                        insert into project (name, max_studies, max_running_trials, requests_per_second, created_at)
                        values (:name, :maxStudies, :maxRunning, :rps, :now)
                        on conflict (name) do nothing
                        returning id, name, max_studies, max_running_trials, requests_per_second, created_at""")
                .param("name", name).param("maxStudies", q.maxStudies()).param("maxRunning", q.maxRunningTrials())
                .param("rps", q.requestsPerSecond()).param("now", Timestamp.from(now))
                .query(ProjectService::project).optional()
                .orElseThrow(() -> ProjectConflict.exists(name));
    }

    @Transactional(readOnly = true)
    public Project get(String name) {
        return jdbc.sql("""
                        select id, name, max_studies, max_running_trials, requests_per_second, created_at
                        from project where name = :name""")
                .param("name", name).query(ProjectService::project).optional()
                .orElseThrow(() -> new ProjectNotFound(name));
    }

    /** Projects in name order after the cursor; one more than asked tells whether there is a next page. */
    @Transactional(readOnly = true)
    public List<Project> list(int limit, String after) {
        return jdbc.sql("""
                        select id, name, max_studies, max_running_trials, requests_per_second, created_at
                        from project where name > :after order by name limit :limit""")
                .param("after", after == null ? "" : after).param("limit", limit + 1)
                .query(ProjectService::project).list();
    }

    /** Replaces the project's quota: a field left out means no limit. */
    @Transactional
    public Project changeQuota(String name, Quota quota) {
        Quota q = (quota == null ? Quota.NONE : quota).validated();
        return jdbc.sql("""
                        update project set max_studies = :maxStudies, max_running_trials = :maxRunning,
                            requests_per_second = :rps
                        where name = :name
                        returning id, name, max_studies, max_running_trials, requests_per_second, created_at""")
                .param("name", name).param("maxStudies", q.maxStudies()).param("maxRunning", q.maxRunningTrials())
                .param("rps", q.requestsPerSecond())
                .query(ProjectService::project).optional()
                .orElseThrow(() -> new ProjectNotFound(name));
    }

    /** Deletes an empty project with its keys and audit trail; studies are never deleted along with a project. */
    @Transactional
    public void delete(String name) {
        if (DefaultProject.NAME.equals(name)) {
            throw ProjectConflict.defaultProject();
        }
        long id = lockId(name);
        long studies = jdbc.sql("select count(*) from study where project_id = :project").param("project", id)
                .query(Long.class).single();
        if (studies > 0) {
            throw ProjectConflict.notEmpty(name, studies);
        }
        jdbc.sql("delete from project where id = :id").param("id", id).update();
        keys.forgetAll();
    }

    private long lockId(String name) {
        return jdbc.sql("select id from project where name = :name for update").param("name", name)
                .query(Long.class).optional().orElseThrow(() -> new ProjectNotFound(name));
    }

    record Key(UUID id, String name, String role, String prefix, Instant createdAt, Instant expiresAt,
               Instant lastUsedAt) {
    }

    /** A new key and its secret, which is shown this once and stored only as a hash. */
    record NewKey(Key key, String secret) {
    }

    @Transactional
    public NewKey createKey(String project, String name, String role, Instant expiresAt) {
        if (name == null || name.isBlank() || name.length() > MAX_KEY_NAME || name.indexOf('\0') >= 0) {
            throw new InvalidRequest("name", "is required: 1 to " + MAX_KEY_NAME + " characters");
        }
        if (role == null || !List.of("read", "write", "admin").contains(role)) {
            throw new InvalidRequest("role", "is required: read, write or admin");
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidRequest("expiresAt", "must be in the future");
        }
        long projectId = get(project).id();
        KeySecrets.NewKey made = secrets.generate();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into api_key (id, project_id, name, role, prefix, secret_hash, created_at, expires_at)
                        values (:id, :project, :name, :role, :prefix, :hash, :now, :expires)""")
                .param("id", id).param("project", projectId).param("name", name)
                .param("role", role.toUpperCase(Locale.ROOT)).param("prefix", made.prefix()).param("hash", made.hash())
                .param("now", Timestamp.from(now))
                .param("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .update();
        return new NewKey(new Key(id, name, role, made.prefix(), now, expiresAt, null), made.key());
    }

    /** The project's keys that are not revoked, oldest first, without secrets. */
    @Transactional(readOnly = true)
    public List<Key> keys(String project) {
        long projectId = get(project).id();
        return jdbc.sql("""
                        select id, name, role, prefix, created_at, expires_at, last_used_at from api_key
                        where project_id = :project and revoked_at is null order by created_at, id""")
                .param("project", projectId)
                .query((rs, i) -> new Key(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getString("role").toLowerCase(Locale.ROOT), rs.getString("prefix"),
                        instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "last_used_at")))
                .list();
    }

    /** Revokes the key: at once on this replica, within the key cache's lifetime (2 s) on every other. */
    @Transactional
    public void revokeKey(String project, String keyId) {
        long projectId = get(project).id();
        UUID id;
        try {
            id = UUID.fromString(keyId);
        } catch (IllegalArgumentException e) {
            throw new KeyNotFound(keyId);
        }
        int found = jdbc.sql("""
                        update api_key set revoked_at = coalesce(revoked_at, :now)
                        where id = :id and project_id = :project""")
                .param("now", Timestamp.from(clock.instant())).param("id", id).param("project", projectId).update();
        if (found == 0) {
            throw new KeyNotFound(keyId);
        }
        keys.forgetAll();
    }

    record Event(long id, Instant at, UUID keyId, String keyName, String method, String path, int status) {
    }

    /** The project's audit events, newest first, older than the cursor (an event id). */
    @Transactional(readOnly = true)
    public List<Event> audit(String project, int limit, Long before) {
        long projectId = get(project).id();
        return jdbc.sql("""
                        select id, at, key_id, key_name, method, path, status from audit_event
                        where project_id = :project and id < :before order by id desc limit :limit""")
                .param("project", projectId).param("before", before == null ? Long.MAX_VALUE : before)
                .param("limit", limit + 1)
                .query((rs, i) -> new Event(rs.getLong("id"), instant(rs, "at"), rs.getObject("key_id", UUID.class),
                        rs.getString("key_name"), rs.getString("method"), rs.getString("path"), rs.getInt("status")))
                .list();
    }

    private static Project project(ResultSet rs, int row) throws SQLException {
        return new Project(rs.getLong("id"), rs.getString("name"),
                new Quota((Integer) rs.getObject("max_studies"), (Integer) rs.getObject("max_running_trials"),
                        (Integer) rs.getObject("requests_per_second")),
                instant(rs, "created_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
