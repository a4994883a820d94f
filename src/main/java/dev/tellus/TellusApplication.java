package dev.tellus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/** Tellus: hyperparameter optimisation as a service. */
// No user store: API keys are the only credentials (auth/), so Boot's generated in-memory user is left out.
@SpringBootApplication(excludeName = "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration")
@ConfigurationPropertiesScan
@EnableScheduling
public class TellusApplication {

    public static void main(String[] args) {
        SpringApplication.run(TellusApplication.class, args);
    }

    @Bean
    Clock clock() {
        // Microseconds: what PostgreSQL keeps, so a value read back equals the one handed out.
        return Clock.tick(Clock.systemUTC(), java.time.Duration.ofNanos(1000));
    }
}
