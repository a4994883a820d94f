package dev.tellus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Tellus: hyperparameter optimisation as a service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TellusApplication {

    public static void main(String[] args) {
        SpringApplication.run(TellusApplication.class, args);
    }
}
