package org.w4r.testsupport.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DynamicTest;

import java.util.Map;
import java.util.stream.Stream;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The shape every service keeps (docs/architecture.md, "One shape"), as rules each module's suite runs:
 * <pre>
 * class ArchitectureTest {
 *     &#64;TestFactory
 *     Stream&lt;DynamicTest&gt; layers() {
 *         return LayerRules.check();
 *     }
 * }
 * </pre>
 * (Plain Jupiter: ArchUnit's own JUnit 5 engine does not register on the JUnit 6 platform Quarkus 3.33 brings.)
 * Packages by role: {@code rest} (resources and their request/response records: the only place HTTP is known),
 * {@code service} (commands and queries, plain results), {@code repository} (SQL), {@code messaging} (consumers and
 * publishers of topics), {@code model} (the service's own values, used by every layer).
 */
public final class LayerRules {
    /** The services, and the staff UI's server, which talks to them only over HTTP as well. */
    private static final String[] SERVICES = {"org.w4r.cases..", "org.w4r.petition..", "org.w4r.tally..", "org.w4r.delivery..",
            "org.w4r.ui.."};

    private LayerRules() {
    }

    /** Every rule over the module's main classes and what they use of the platform's (kit, contract), one test each. */
    public static Stream<DynamicTest> check() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.w4r");
        return rules().entrySet().stream()
                .map(rule -> DynamicTest.dynamicTest(rule.getKey(), () -> rule.getValue().check(classes)));
    }

    static Map<String, ArchRule> rules() {
        return Map.of("layers", layers, "noHttpBelowRest", noHttpBelowRest, "resourcesInRest", resourcesInRest,
                "consumersInMessaging", consumersInMessaging, "eventsFromTheContract", eventsFromTheContract,
                "servicesIndependent", servicesIndependent);
    }

    /** rest → service → repository; messaging drives services and repositories; nothing calls into rest. */
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("rest").definedBy(in("rest"))
            .layer("service").definedBy(in("service"))
            .layer("repository").definedBy(in("repository"))
            .layer("messaging").definedBy(in("messaging"))
            .whereLayer("rest").mayNotBeAccessedByAnyLayer()
            .whereLayer("service").mayOnlyBeAccessedByLayers("rest", "messaging")
            .whereLayer("repository").mayOnlyBeAccessedByLayers("service", "messaging")
            .whereLayer("messaging").mayOnlyBeAccessedByLayers("service", "rest");

    /** HTTP is the resources' business: a service answers plain results and problems, never a Response. */
    static final ArchRule noHttpBelowRest = noClasses()
            .that().resideInAnyPackage(concat(in("service"), in("repository"), in("messaging"), in("model")))
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..")
            .because("the resource maps results to HTTP (docs/architecture.md)")
            // the staff UI's server has none of these layers (rest, config, http only): nothing to check there
            .allowEmptyShould(true);

    /** A resource lives in rest and says so in its name. */
    static final ArchRule resourcesInRest = classes()
            .that().areAnnotatedWith("jakarta.ws.rs.Path").and().resideInAnyPackage(SERVICES)
            .should().resideInAPackage("..rest..").andShould().haveSimpleNameEndingWith("Resource");

    /** A topic is consumed in messaging. */
    static final ArchRule consumersInMessaging = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods()
            .that().areAnnotatedWith("org.eclipse.microprofile.reactive.messaging.Incoming")
            .should().beDeclaredInClassesThat().resideInAPackage("..messaging..").allowEmptyShould(true);

    /** Events are the contract's: no service defines a type of its own on a topic. */
    static final ArchRule eventsFromTheContract = classes()
            .that().implement(org.w4r.events.ActionEvent.class).or().implement(org.w4r.events.DeliveryEvent.class)
            .should().resideInAPackage("org.w4r.events..").allowEmptyShould(true);

    /** Services talk through topics and HTTP, never through each other's classes; the kit and the contract know no service. */
    static final ArchRule servicesIndependent = classes().should(new ArchCondition<JavaClass>("use no other service's classes") {
        @Override
        public void check(JavaClass origin, ConditionEvents events) {
            String own = service(origin.getPackageName());
            for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                String other = service(dependency.getTargetClass().getPackageName());
                if (other != null && !other.equals(own)) {
                    events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                }
            }
        }
    });

    /** A role's packages in every service (the kit's own packages, such as kit.messaging, are not a service's layer). */
    static String[] in(String role) {
        return java.util.Arrays.stream(SERVICES).map(s -> s.substring(0, s.length() - 2) + "." + role + "..").toArray(String[]::new);
    }

    static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    /** The service a package belongs to (cases, petition, tally, delivery, ui), or null for the kit, the contract and tests' support. */
    static String service(String packageName) {
        for (String service : SERVICES) {
            String root = service.substring(0, service.length() - 2);
            if (packageName.equals(root) || packageName.startsWith(root + ".")) {
                return root;
            }
        }
        return null;
    }
}
