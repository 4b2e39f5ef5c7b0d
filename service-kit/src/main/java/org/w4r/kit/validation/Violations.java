package org.w4r.kit.validation;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bean Validation's violations as the one 400 problem every service answers: {@code invalid-field}, naming the field
 * the way the caller wrote it ({@code signer.email}, not the Java method and parameter) and quoting it in the detail,
 * with every violation listed under {@code errors}. Used by the REST mapper for request records and by code that
 * validates one item of a batch itself ({@link #check}), so both answer alike.
 */
public final class Violations {
    private Violations() {
    }

    /** Throws the 400 problem for {@code value}'s violations, if any. */
    public static <T> T check(Validator validator, T value) {
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new ProblemException(problem(violations));
        }
        return value;
    }

    public static Problem problem(Set<? extends ConstraintViolation<?>> violations) {
        List<? extends ConstraintViolation<?>> sorted = violations.stream()
                .sorted(Comparator.comparing((ConstraintViolation<?> v) -> field(v.getPropertyPath()))
                        .thenComparing(ConstraintViolation::getMessage))
                .toList();
        ConstraintViolation<?> first = sorted.get(0);
        String field = field(first.getPropertyPath());
        Problem problem = Problem.of(400, "invalid-field", "Invalid field", detail(field, first.getMessage()))
                .with("field", field);
        if (sorted.size() > 1) {
            List<Map<String, String>> errors = sorted.stream().map(v -> {
                Map<String, String> error = new LinkedHashMap<>();
                error.put("field", field(v.getPropertyPath()));
                error.put("detail", detail(field(v.getPropertyPath()), v.getMessage()));
                return error;
            }).toList();
            problem.with("errors", errors);
        }
        return problem;
    }

    static String detail(String field, String message) {
        return field.isEmpty() ? message : "'" + field + "' " + message;
    }

    /**
     * The caller's name of the field: a resource method's path starts with the method and its parameter (dropped;
     * a query or path parameter keeps its own name), and list elements carry no name of their own.
     */
    static String field(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR
                    || node.getKind() == ElementKind.RETURN_VALUE || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getName() == null) {
                continue;
            }
            if (!field.isEmpty()) {
                field.append('.');
            }
            field.append(node.getName());
        }
        return field.isEmpty() && parameter != null ? parameter : field.toString();
    }
}
