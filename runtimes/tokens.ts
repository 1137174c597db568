// Typed tsyringe tokens and the registration helpers every wiring module uses.
import 'reflect-metadata'
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe'

/** A typed tsyringe token: the phantom type ties a symbol to what it resolves to. */
export type Token<T> = symbol & { readonly __resolves?: T }

export const token = <T>(name: string): Token<T> => Symbol(name) as Token<T>

export type Get = <T>(token: Token<T>) => T

export type Factory = <T>(key: Token<T>, make: (get: Get) => T) => void

/** Registration on a container: values made at boot, and factories made once on first use. */
export function registrar(container: DependencyContainer) {
  const value = <T>(key: Token<T>, instance: T) => {
    container.register(key, { useValue: instance })
  }
  const factory: Factory = (key, make) => {
    container.register(key, {
      useFactory: instanceCachingFactory((c) => make((t) => c.resolve(t))),
    })
  }
  return { value, factory }
}
