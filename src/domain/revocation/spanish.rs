//! Revocations said in Spanish, and the plainest Tagalog and Vietnamese ("wag na po kayo mag
//! text", "đừng nhắn tin").

use super::is;
use super::words::TEXT_NOUNS;

/// Spanish: "no me manden mensajes", "dejen de mandarme", "sáquenme de la lista", "dar de baja".
pub(super) fn asks_in_spanish(w: &[&str]) -> bool {
    const SEND: &[&str] = &[
        "mandes",
        "manden",
        "mande",
        "envies",
        "envien",
        "envie",
        "escribas",
        "escriban",
        "escriba",
        "textees",
        "texteen",
        "molesten",
        "molestes",
        "moleste",
        "contacten",
    ];
    const REMOVE: &[&str] = &[
        "sacame",
        "saquenme",
        "quitame",
        "quitenme",
        "borrame",
        "borrenme",
        "eliminame",
        "eliminenme",
        "sacarme",
        "quitarme",
        "borrarme",
        "quitenlo",
        "quitalo",
        "borrenlo",
        "borralo",
        "eliminenlo",
        "eliminalo",
        "saquenlo",
        "sacalo",
    ];
    // "no enviarme más mensajes", "no me vuelvan a escribir"
    const SEND_ME: &[&str] = &[
        "enviarme",
        "mandarme",
        "escribirme",
        "textearme",
        "contactarme",
        "llamarme",
        "molestarme",
    ];
    const AGAIN: &[&str] = &[
        "escribir",
        "mandar",
        "enviar",
        "textear",
        "contactar",
        "llamar",
        "molestar",
    ];
    const PRODUCTOS: &[&str] = &[
        "contrato",
        "paquete",
        "garantia",
        "proteccion",
        "seguro",
        "plan",
        "factura",
        "cita",
    ];
    let products = w.iter().any(|x| is(x, PRODUCTOS));
    // Tagalog "wag (na po kayo) mag text", Vietnamese "đừng nhắn tin": don't text
    let dont = w
        .iter()
        .any(|x| matches!(*x, "wag" | "huwag" | "dung" | "đung" | "đừng"));
    let text = w
        .iter()
        .any(|x| matches!(*x, "text" | "magtext" | "mag" | "nhan" | "nhắn" | "tin" | "texts"));
    if dont && text {
        return true;
    }
    for (i, word) in w.iter().enumerate() {
        let next = w.get(i + 1).copied().unwrap_or("");
        match *word {
            "no" => {
                // "no enviarme", "favor de no mandar más mensajes"
                let infinitive = matches!(next, "mandar" | "enviar" | "escribir" | "textear" | "mensajear");
                if is(next, SEND_ME) || (infinitive && w[i + 2..].iter().any(|x| is(x, TEXT_NOUNS) || *x == "mas")) {
                    return true;
                }
                let j = if matches!(next, "me" | "nos") { i + 2 } else { i + 1 };
                if w.get(j).is_some_and(|v| is(v, SEND)) {
                    return true;
                }
                if next == "quiero" && w[i + 2..].iter().any(|x| is(x, TEXT_NOUNS)) {
                    return true;
                }
            }
            "dejen" | "deja" | "dejes" | "paren" | "para"
                if next == "de"
                    && w.get(i + 2).is_some_and(|v| {
                        v.starts_with("mand")
                            || v.starts_with("envi")
                            || v.starts_with("escrib")
                            || v.starts_with("text")
                            || v.starts_with("molest")
                    }) =>
            {
                return true;
            }
            "baja" if i >= 1 && w[i - 1] == "de" => return true,
            "vuelvan" | "vuelvas" | "vuelva" if next == "a" && w.get(i + 2).is_some_and(|v| is(v, AGAIN)) => {
                return true;
            }
            "numero" if next == "equivocado" => return true,
            // "borren este número", "cancelen los mensajes"
            "borren" | "borra" | "eliminen" | "elimina" | "quiten" | "quita" | "saquen"
                if w[i + 1..]
                    .iter()
                    .take(3)
                    .any(|x| matches!(*x, "numero" | "contacto" | "lista")) =>
            {
                return true;
            }
            "cancelen" | "cancela" | "cancelar" if w[i + 1..].iter().take(3).any(|x| is(x, TEXT_NOUNS)) => return true,
            // "quítenlo del contrato" removes a product, not the number
            w if is(w, REMOVE) && !products => return true,
            _ => {}
        }
    }
    false
}
