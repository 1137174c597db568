// Typed tsyringe tokens and the registration helpers every wiring module uses.

/** A typed tsyringe token: the phantom type ties a symbol to what it resolves to. */
export type Token<T> = symbol & { readonly __resolves?: T }

export const token = <T>(name: string): Token<T> => Symbol(name) as Token<T>

export type Get = <T>(token: Token<T>) => T

export type Factory = <T>(key: Token<T>, make: (get: Get) => T) => void
