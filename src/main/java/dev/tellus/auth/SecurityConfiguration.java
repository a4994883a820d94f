package dev.tellus.auth;

import dev.tellus.TellusProperties;
import dev.tellus.TellusProperties.AuthMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.List;

/**
 * One Spring Security filter chain in front of the controllers. With {@code TELLUS_AUTH=required} a bearer key
 * becomes a {@link Caller} (project and role) or the {@link Operator}; the request rules below then allow or
 * refuse by role. With {@code off}, every request is the admin of project {@code default}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration implements WebMvcConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    private final DefaultProject defaultProject;

    SecurityConfiguration(DefaultProject defaultProject) {
        this.defaultProject = defaultProject;
    }

    /**
     * No Spring Security observations at all: besides recording none (as {@code management.observations.enable.
     * spring.security=false} already said), the filter chain is then not wrapped filter by filter in observation
     * decorators, which cost every request a few percent of the service's CPU. Requests are still timed as a whole
     * ({@code http.server.requests}).
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, TellusProperties properties, KeySecrets secrets,
                                    KeyDirectory directory, AuditTrail audit, JsonMapper json, Clock clock) {
        var problems = new SecurityProblems(json);
        http.csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems.unauthorized())
                        .accessDeniedHandler(problems.forbidden()))
                .authorizeHttpRequests(rules -> rules
                        .requestMatchers("/actuator/**").permitAll()
                        .requestMatchers("/api/v1/projects").hasAuthority(Operator.AUTHORITY)
                        // A project's keys and audit: the operator, or an admin key of that project (checked by
                        // the controller, which knows the project).
                        .requestMatchers("/api/v1/projects/*/keys", "/api/v1/projects/*/keys/*",
                                "/api/v1/projects/*/audit")
                        .hasAnyAuthority(Operator.AUTHORITY, Role.ADMIN.authority())
                        .requestMatchers("/api/v1/projects/**").hasAuthority(Operator.AUTHORITY)
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole(Role.READ.name())
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasRole(Role.READ.name())
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/studies/*").hasRole(Role.ADMIN.name())
                        .requestMatchers("/api/**").hasRole(Role.WRITE.name())
                        // The dashboard's pages and assets and the API documents need no key; the data they
                        // fetch does.
                        .anyRequest().permitAll());
        AuthenticationFilter authentication;
        if (properties.auth() == AuthMode.OFF) {
            log.warn("Authentication is OFF (TELLUS_AUTH=off): every request acts as the admin of project 'default'. "
                    + "Do not expose this instance; set TELLUS_AUTH=required and TELLUS_ADMIN_KEY for a shared one.");
            authentication = new AuthenticationFilter(new ProviderManager(new AuthOffProvider()),
                    request -> UsernamePasswordAuthenticationToken.unauthenticated(DefaultProject.AuthOff.ADMIN, null));
        } else {
            String operatorKey = properties.adminKey();
            if (operatorKey == null || operatorKey.isBlank()) {
                throw new OperatorKeyMissing(false);
            }
            if (operatorKey.length() < OperatorKeyMissing.MIN_LENGTH) {
                throw new OperatorKeyMissing(true);
            }
            authentication = new AuthenticationFilter(
                    new ProviderManager(new KeyAuthenticationProvider(secrets, directory, clock, operatorKey)),
                    new BearerToken.Converter());
        }
        // Authenticated requests continue down the chain; refusals get the problem+json 401 (or 429, 503).
        authentication.setSuccessHandler((request, response, result) -> {
        });
        authentication.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems.unauthorized()));
        http.addFilterBefore(authentication, AnonymousAuthenticationFilter.class);
        http.addFilterBefore(new AuditFilter(audit, clock), ExceptionTranslationFilter.class);
        return http.build();
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArguments(defaultProject));
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new RateLimits()).addPathPatterns("/api/**");
    }

    /** With auth off, every request is the admin of {@code default}, whatever it carries. */
    private static final class AuthOffProvider implements AuthenticationProvider {

        @Override
        public Authentication authenticate(Authentication authentication) {
            return UsernamePasswordAuthenticationToken.authenticated(DefaultProject.AuthOff.ADMIN, null,
                    Role.ADMIN.granted());
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
