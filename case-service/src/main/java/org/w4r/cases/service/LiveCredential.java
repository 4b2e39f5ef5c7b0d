package org.w4r.cases.service;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A write that must not be made with a credential revoked or expired in this database, whatever the token directory
 * still says ({@link LiveCredentialCheck}). On every {@code @Transactional} write a key or staff token can make, and on
 * the imports' dry runs (which tell what is stored); a revocation checks its caller itself
 * ({@link CredentialService#revoke}).
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface LiveCredential {
}
