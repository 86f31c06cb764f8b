package io.seqwatch.samples.rest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A shop's risk service: the Seqwatch starter loads the bundle named by {@code seqwatch.model} and
 * {@link EventController} scores what the shop's backend posts.
 *
 * <pre>{@code
 * java -jar seqwatch-sample-spring-rest.jar --seqwatch.model=/models/shop.zip --seqwatch.alerts=alerts.jsonl
 * curl -s localhost:8080/score -H 'Content-Type: application/json' \
 *   -d '[{"actor":"u1","time":"2017-11-25T09:14:02Z","action":"pv","item":"i1","category":"c1"}]'
 * }</pre>
 *
 * <p>Thread-safety: a program.
 */
@SpringBootApplication
public class ShopEventsApplication {
  public static void main(String[] args) {
    SpringApplication.run(ShopEventsApplication.class, args);
  }
}
