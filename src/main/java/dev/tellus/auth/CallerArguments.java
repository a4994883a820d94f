package dev.tellus.auth;

import org.springframework.core.MethodParameter;
import dev.tellus.web.Forbidden;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands a controller the {@link Caller} (or the {@link Actor} of project management) the security chain authenticated, so services get the project as an argument. */
final class CallerArguments implements HandlerMethodArgumentResolver {

    private final DefaultProject defaultProject;

    CallerArguments(DefaultProject defaultProject) {
        this.defaultProject = defaultProject;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class || parameter.getParameterType() == Actor.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                  WebDataBinderFactory binders) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (parameter.getParameterType() == Actor.class) {
            return authentication != null && authentication.getPrincipal() == Operator.INSTANCE
                    ? new Actor(null) : new Actor(caller(authentication));
        }
        return caller(authentication);
    }

    private Caller caller(Authentication authentication) {
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            return caller;
        }
        if (authentication != null && authentication.getPrincipal() == DefaultProject.AuthOff.ADMIN) {
            return defaultProject.admin();
        }
        // The operator key owns no studies; the request rules refuse it first, this is the backstop.
        throw new Forbidden("This endpoint needs a key of a project; the operator key owns no studies.");
    }
}
