package dev.tellus.auth;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What a key of a project may do: each role includes the ones before it. */
public enum Role {
    /** Every GET of the project. */
    READ,
    /** Read, plus create and change studies, ask, tell, report, heartbeat, enqueue and import. */
    WRITE,
    /** Write, plus delete studies and manage the project's keys and read its audit trail. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The Spring Security authority of this role. */
    String authority() {
        return "ROLE_" + name();
    }

    /**
     * The authorities a key of this role is granted: its own and those of the roles it includes (ADMIN holds
     * ROLE_ADMIN, ROLE_WRITE and ROLE_READ). Granted whole rather than through a {@code RoleHierarchy}, whose
     * expansion on every request formatted a debug message whether or not debug logging was on (about 3% of the
     * service's CPU on the ask and tell path).
     */
    List<GrantedAuthority> granted() {
        return GRANTED.get(this);
    }

    private static final Map<Role, List<GrantedAuthority>> GRANTED = new EnumMap<>(Role.class);

    static {
        for (Role role : values()) {
            var authorities = new ArrayList<GrantedAuthority>();
            for (Role included : values()) {
                if (role.includes(included)) {
                    authorities.add(new SimpleGrantedAuthority(included.authority()));
                }
            }
            GRANTED.put(role, List.copyOf(authorities));
        }
    }
}
