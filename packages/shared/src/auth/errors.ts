import { CutlineError } from '../errors.ts';

export class UnauthenticatedError extends CutlineError {
  constructor(message = 'Sign in first: no valid session or API token') {
    super('unauthenticated', message, 401);
  }
}

export class ForbiddenError extends CutlineError {
  constructor(message = 'Your role in this project does not allow that') {
    super('forbidden', message, 403);
  }
}

/** Outsiders get "not found" for projects they cannot see, so ids do not leak existence. */
export class NotFoundError extends CutlineError {
  constructor(what = 'Not found') {
    super('not_found', what, 404);
  }
}

export class EmailTakenError extends CutlineError {
  constructor() {
    super('email_taken', 'An account with this email already exists', 409);
  }
}

export class InvalidCredentialsError extends CutlineError {
  constructor() {
    super('invalid_credentials', 'Wrong email or password', 401);
  }
}
